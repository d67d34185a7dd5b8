import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { CacheKind } from '../config.ts';

type Outcome = 'HIT' | 'MISS' | 'STALE';

/** Cache outcomes per kind, for the hit ratio in /api/performance and for /metrics. */
export class CacheCounters {
  readonly totals: Record<CacheKind, Record<Outcome, number>> = {
    metrics: { HIT: 0, MISS: 0, STALE: 0 },
    userData: { HIT: 0, MISS: 0, STALE: 0 },
    externalAPIs: { HIT: 0, MISS: 0, STALE: 0 },
  };
  /** Rebuilds actually run (several lookups may share one under concurrency). */
  readonly builds: Record<CacheKind, number> = { metrics: 0, userData: 0, externalAPIs: 0 };
  private readonly prom: Counter<'kind' | 'outcome'>;

  constructor(registry: Registry) {
    this.prom = new Counter({
      name: 'app_cache_requests_total',
      help: 'Cache lookups by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    });
  }

  build(kind: CacheKind): void {
    this.builds[kind] += 1;
  }

  count(kind: CacheKind, outcome: Outcome): void {
    this.totals[kind][outcome] += 1;
    this.prom.inc({ kind, outcome });
  }
}
