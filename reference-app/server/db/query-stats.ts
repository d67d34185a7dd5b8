import { Histogram as PromHistogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { WindowedHistogram } from '../metrics/histogram.ts';

/** Normalised text and timing of a query over the slow threshold. */
export interface SlowQuery {
  query: string;
  ms: number;
  at: number;
}

/** Times every application query: a recent window for /api/performance, Prometheus for /metrics. */
export class QueryStats {
  readonly window = new WindowedHistogram();
  private readonly slow: SlowQuery[] = [];
  private readonly prom: PromHistogram<'pool'>;

  constructor(
    registry: Registry,
    private readonly slowMs: number,
  ) {
    this.prom = new PromHistogram({
      name: 'app_db_query_duration_seconds',
      help: 'Duration of application queries by pool',
      labelNames: ['pool'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  observe(pool: 'primary' | 'replica', sql: string, ms: number): void {
    this.window.record(ms);
    this.prom.observe({ pool }, ms / 1000);
    if (ms >= this.slowMs) {
      this.slow.push({ query: normaliseSql(sql), ms, at: Date.now() });
      if (this.slow.length > 50) this.slow.shift();
    }
  }

  /** Slow queries seen by this instance, slowest first, one line each. */
  recentSlow(): SlowQuery[] {
    return [...this.slow].sort((a, b) => b.ms - a.ms);
  }
}

/** Placeholders ($1) already keep values out; this folds whitespace so one query is one line. */
export function normaliseSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
