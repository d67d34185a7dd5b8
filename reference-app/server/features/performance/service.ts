import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { emptyHistogram, mean, merge, quantile } from '../../metrics/histogram.ts';
import type { InstancePublisher, InstanceSnapshot } from '../../metrics/instance-snapshot.ts';
import type { RumStore } from '../../metrics/rum-store.ts';
import { percentile } from '../../metrics/rum-store.ts';
import { normaliseSql } from '../../db/query-stats.ts';
import { initialJsBytes } from './bundle-size.ts';
import type { Redis } from 'ioredis';
import { PERF_RESET_KEY } from '../../cache/keys.ts';
import { redisReady } from '../../cache/redis.ts';

const round = (v: number | null, digits = 2): number | null => (v === null ? null : Number(v.toFixed(digits)));

/** What the public sees instead of a statement's text: stable per statement, so counts and repeats still read. */
export const hiddenQuery = (sql: string): string =>
  `hidden:${createHash('sha256').update(sql).digest('hex').slice(0, 12)}`;

type SlowQueryRow = { query: string; meanMs: number; calls: number | null };

/**
 * The seed's PerformanceMetrics, measured. Each seed field keeps its type
 * (the average where it names one figure); percentiles and detail sit beside it.
 */
export class PerformanceService {
  private bundle: { value: number | null; at: number } | undefined;

  constructor(
    private readonly db: Database,
    private readonly publisher: InstancePublisher,
    private readonly rum: RumStore,
    private readonly buildStatsFile: string | undefined,
    private readonly slowMs: number,
    private readonly redis?: Redis,
  ) {}

  /** This instance's idea of the window's start when Redis is down. */
  private localResetAt = 0;

  /** Starts the slow-query window afresh on every instance (a load test calls it before its first scenario). */
  async resetWindow(): Promise<void> {
    this.localResetAt = Date.now();
    if (this.redis && redisReady(this.redis))
      await this.redis.set(PERF_RESET_KEY, String(this.localResetAt)).catch(() => undefined);
  }

  private async resetAt(): Promise<number> {
    const shared = this.redis && redisReady(this.redis) ? await this.redis.get(PERF_RESET_KEY).catch(() => null) : null;
    return Math.max(this.localResetAt, Number(shared ?? 0) || 0);
  }

  /** The figures; SQL text and process ids only in the operator view (schema and host details are nobody else's business). */
  async snapshot(view: { operator: boolean }): Promise<Record<string, unknown>> {
    const instances = await this.publisher.all();
    const [database, frontend] = await Promise.all([this.database(instances, view.operator), this.frontend()]);
    return {
      database,
      api: api(instances),
      frontend,
      cache: cache(instances),
      instances: instances.map((i) => instanceView(i, view.operator)),
      generatedAt: new Date().toISOString(),
    };
  }

  private async database(instances: InstanceSnapshot[], operator: boolean): Promise<Record<string, unknown>> {
    const h = emptyHistogram();
    for (const i of instances) merge(h, i.db.latency);
    const windowS = Math.max(...instances.map((i) => i.db.windowS));
    const [activity, measured] = await Promise.all([this.activity(), this.slowQueries(instances)]);
    const slow = operator ? measured : measured.map((s) => ({ ...s, query: hiddenQuery(s.query) }));
    const poolTotal = instances.reduce(
      (n, i) => n + (i.pools['primary']?.total ?? 0) + (i.pools['replica']?.total ?? 0),
      0,
    );
    return {
      queryTime: round(mean(h)) ?? 0,
      queryTimeP95: round(quantile(h, 0.95)),
      queryCount: h.count,
      windowSeconds: windowS,
      connectionCount: activity ?? poolTotal,
      connections: { pgStatActivity: activity, appPools: poolTotal },
      slowQueries: slow.map((s) => s.query),
      slowQueryDetail: slow,
      slowQueryThresholdMs: this.slowMs,
    };
  }

  private async activity(): Promise<number | null> {
    try {
      const rows = await this.db.admin<{ n: number }>(
        'primary',
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()',
      );
      return rows[0]?.n ?? null;
    } catch {
      return null;
    }
  }

  /** From pg_stat_statements when it is loaded, else the instances' own slow-query logs. */
  private async slowQueries(instances: InstanceSnapshot[]): Promise<SlowQueryRow[]> {
    try {
      const rows = await this.db.admin<{ query: string; mean_ms: number; calls: number }>(
        'primary',
        `SELECT query, mean_exec_time AS mean_ms, calls FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND mean_exec_time >= $1 AND query NOT ILIKE '%pg_stat_statements%'
          ORDER BY mean_exec_time DESC LIMIT 10`,
        [this.slowMs],
      );
      return rows.map((r) => ({ query: normaliseSql(r.query), meanMs: round(r.mean_ms) ?? 0, calls: r.calls }));
    } catch {
      const seen = new Map<string, SlowQueryRow>();
      const since = await this.resetAt();
      for (const s of instances.flatMap((i) => i.slowQueries).filter((q) => (q.at ?? Infinity) >= since)) {
        const prev = seen.get(s.query);
        if (!prev || prev.meanMs < s.ms) seen.set(s.query, { query: s.query, meanMs: round(s.ms) ?? 0, calls: null });
      }
      return [...seen.values()].sort((a, b) => b.meanMs - a.meanMs).slice(0, 10);
    }
  }

  private async frontend(): Promise<Record<string, unknown>> {
    const samples = await this.rum.recent();
    const stat = (name: string): { p50: number | null; p75: number | null; count: number } => {
      const v = samples.get(name) ?? [];
      return { p50: round(percentile(v, 0.5)), p75: round(percentile(v, 0.75)), count: v.length };
    };
    const load = stat('loadTime');
    const render = stat('renderTime');
    const vitals = Object.fromEntries(['LCP', 'FCP', 'CLS', 'INP', 'TTFB'].map((n) => [n, stat(n)]));
    if (!this.bundle || Date.now() - this.bundle.at > 30_000)
      this.bundle = { value: await initialJsBytes(this.buildStatsFile), at: Date.now() };
    return {
      loadTime: load.p50,
      loadTimeP75: load.p75,
      renderTime: render.p50,
      renderTimeP75: render.p75,
      bundleSize: this.bundle.value,
      samples: load.count + render.count,
      webVitals: vitals,
    };
  }
}

function api(instances: InstanceSnapshot[]): Record<string, unknown> {
  const h = emptyHistogram();
  let errors = 0;
  let throughput = 0;
  for (const i of instances) {
    merge(h, i.api.latency);
    errors += i.api.errors;
    throughput += i.api.latency.count / i.api.windowS;
  }
  return {
    responseTime: round(mean(h)) ?? 0,
    responseTimeP50: round(quantile(h, 0.5)),
    responseTimeP95: round(quantile(h, 0.95)),
    responseTimeP99: round(quantile(h, 0.99)),
    throughput: round(throughput) ?? 0,
    errorRate: h.count === 0 ? 0 : (round(errors / h.count, 4) ?? 0),
    requests: h.count,
  };
}

function cache(instances: InstanceSnapshot[]): Record<string, unknown> {
  const byKind: Record<string, Record<string, number>> = {};
  let hits = 0;
  let total = 0;
  for (const i of instances) {
    for (const [kind, outcomes] of Object.entries(i.cache)) {
      const k = (byKind[kind] ??= { HIT: 0, MISS: 0, STALE: 0 });
      for (const [o, n] of Object.entries(outcomes)) {
        k[o] = (k[o] ?? 0) + n;
        total += n;
        if (o !== 'MISS') hits += n;
      }
    }
  }
  return { hitRatio: total === 0 ? null : round(hits / total, 4), byKind };
}

const instanceView = (i: InstanceSnapshot, operator: boolean): Record<string, unknown> => ({
  id: i.id,
  ...(operator ? { pid: i.pid } : {}),
  at: new Date(i.at).toISOString(),
  cpuPercent: round(i.cpuPercent),
  rssBytes: i.rssBytes,
  heapUsedBytes: i.heapUsedBytes,
  eventLoopLagMs: {
    p50: round(i.eventLoopLagMs.p50),
    p99: round(i.eventLoopLagMs.p99),
    max: round(i.eventLoopLagMs.max),
  },
});
