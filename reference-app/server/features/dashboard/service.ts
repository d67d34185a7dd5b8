import type { CacheResult, ResponseCache } from '../../cache/response-cache.ts';
import { responseKeys } from '../../cache/keys.ts';
import { notFound } from '../../http/errors.ts';
import type { DashboardRepository, LatestRow, RollupRow } from './repository.ts';
import type { DashboardMetric as MetricSummary } from '../../../contract/dashboard.ts';

const DAY_MS = 24 * 3600 * 1000;

export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly cache: ResponseCache,
  ) {}

  /** The business's dashboard aggregate, cached as `metrics` and dropped on ingest. */
  dashboard(userId: number, businessId: number): Promise<CacheResult> {
    const key = responseKeys.dashboard({ businessId });
    return this.cache.get(key.scope, key.name, () => this.build(userId, businessId));
  }

  private async build(userId: number, businessId: number): Promise<unknown> {
    const scope = { userId, businessId };
    const since = new Date(Math.floor((Date.now() - DAY_MS) / 3_600_000) * 3_600_000);
    const [name, defs, latest, rollups] = await Promise.all([
      this.repo.businessName(scope, businessId),
      this.repo.definitions(scope, businessId),
      this.repo.latestTwo(scope, businessId),
      this.repo.rollupsSince(scope, businessId, since),
    ]);
    if (name === undefined) throw notFound('BUSINESS_NOT_FOUND', 'the business no longer exists');
    const metrics = defs.map((d) => summarise(d.metric, d.label, d.unit, latest, rollups));
    return { businessId, businessName: name, generatedAt: new Date().toISOString(), metrics };
  }
}

/** Display precision: the dashboard shows a few decimals, so the payload need not carry 17 digits. */
const r4 = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e4) / 1e4);

/** (latest − previous) / |previous|; null when there is nothing to compare or a tiny previous makes it infinite. */
function changeOf(last: number | null, prev: number | null): number | null {
  if (last === null || prev === null || prev === 0) return null;
  const change = (last - prev) / Math.abs(prev);
  return Number.isFinite(change) ? r4(change) : null;
}

export function summarise(
  metric: string,
  label: string,
  unit: string,
  latest: LatestRow[],
  rollups: RollupRow[],
): MetricSummary {
  const mine = latest.filter((r) => r.metric === metric);
  const last = mine.find((r) => Number(r.rn) === 1)?.value ?? null;
  const prev = mine.find((r) => Number(r.rn) === 2)?.value ?? null;
  const rows = rollups.filter((r) => r.metric === metric);
  let count = 0;
  let sum = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (const r of rows) {
    count += r.count;
    sum += r.sum;
    min = min === null ? r.min : Math.min(min, r.min);
    max = max === null ? r.max : Math.max(max, r.max);
  }
  return {
    metric,
    label,
    unit,
    latest: last,
    previous: prev,
    change: changeOf(last, prev),
    min24h: r4(min),
    max24h: r4(max),
    avg24h: count > 0 ? r4(sum / count) : null,
    sparkline: rows.map((r) => ({ t: r.bucket.toISOString(), v: r4(r.count > 0 ? r.sum / r.count : 0) ?? 0 })),
  };
}
