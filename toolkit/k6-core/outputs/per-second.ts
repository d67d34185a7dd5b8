import type { Sample } from '../metrics/index.ts';

/** Requests and latency of one `name` tag within one second. */
export interface PerSecondNamePoint {
  requests: number;
  p95: number;
}

/** One second of the run, for charts. Latencies in ms; rates 0..1; null when nothing was measured that second. */
export interface PerSecondPoint {
  /** Start of the second, ms since epoch. */
  time: number;
  requests: number;
  failed: number;
  errorRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Last `vus` gauge value seen in or before this second. */
  vus: number | null;
  iterations: number;
  checksPassed: number;
  checksTotal: number;
  checksPassRate: number | null;
  byName: Record<string, PerSecondNamePoint>;
}

interface Bucket {
  durations: number[];
  failed: number;
  failedTotal: number;
  vus: number | null;
  iterations: number;
  checksPassed: number;
  checksTotal: number;
  byName: Map<string, number[]>;
}

const newBucket = (): Bucket => ({
  durations: [],
  failed: 0,
  failedTotal: 0,
  vus: null,
  iterations: 0,
  checksPassed: 0,
  checksTotal: 0,
  byName: new Map(),
});

/** Exact percentile of an ascending array, interpolated like k6's trends. */
function percentileOf(sorted: readonly number[], pct: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (pct / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(rank)] ?? 0;
  const hi = sorted[Math.ceil(rank)] ?? lo;
  return lo + (hi - lo) * (rank - Math.floor(rank));
}

/** Buckets samples per wall-clock second: requests/s, exact per-second latency percentiles, errors, VUs, iterations, checks. */
export class PerSecondAggregator {
  private readonly buckets = new Map<number, Bucket>();

  add(samples: readonly Sample[]): void {
    for (const sample of samples) {
      const second = Math.floor(sample.time / 1000) * 1000;
      let bucket = this.buckets.get(second);
      if (bucket === undefined) {
        bucket = newBucket();
        this.buckets.set(second, bucket);
      }
      this.route(bucket, sample);
    }
  }

  private route(bucket: Bucket, sample: Sample): void {
    switch (sample.metric) {
      case 'http_req_duration': {
        bucket.durations.push(sample.value);
        const name = sample.tags['name'];
        if (name !== undefined) {
          const list = bucket.byName.get(name);
          if (list === undefined) bucket.byName.set(name, [sample.value]);
          else list.push(sample.value);
        }
        break;
      }
      case 'http_req_failed':
        bucket.failedTotal++;
        if (sample.value !== 0) bucket.failed++;
        break;
      case 'vus':
        bucket.vus = sample.value;
        break;
      case 'iterations':
        bucket.iterations += sample.value;
        break;
      case 'checks':
        bucket.checksTotal++;
        if (sample.value !== 0) bucket.checksPassed++;
        break;
    }
  }

  /** One point per second from the first to the last second seen, gaps filled with zeros. */
  series(): PerSecondPoint[] {
    const seconds = [...this.buckets.keys()].sort((a, b) => a - b);
    const first = seconds[0];
    const last = seconds[seconds.length - 1];
    if (first === undefined || last === undefined) return [];
    const points: PerSecondPoint[] = [];
    let vus: number | null = null;
    for (let time = first; time <= last; time += 1000) {
      const bucket = this.buckets.get(time) ?? newBucket();
      vus = bucket.vus ?? vus;
      const sorted = [...bucket.durations].sort((a, b) => a - b);
      const byName: Record<string, PerSecondNamePoint> = {};
      for (const [name, list] of bucket.byName) {
        byName[name] = {
          requests: list.length,
          p95:
            percentileOf(
              [...list].sort((a, b) => a - b),
              95,
            ) ?? 0,
        };
      }
      points.push({
        time,
        requests: sorted.length,
        failed: bucket.failed,
        errorRate: bucket.failedTotal === 0 ? null : bucket.failed / bucket.failedTotal,
        p50: percentileOf(sorted, 50),
        p95: percentileOf(sorted, 95),
        p99: percentileOf(sorted, 99),
        vus,
        iterations: bucket.iterations,
        checksPassed: bucket.checksPassed,
        checksTotal: bucket.checksTotal,
        checksPassRate: bucket.checksTotal === 0 ? null : bucket.checksPassed / bucket.checksTotal,
        byName,
      });
    }
    return points;
  }
}
