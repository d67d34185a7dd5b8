import { LogHistogram } from './log-histogram.ts';
import type { MetricType } from './types.ts';

/** Aggregated state of one metric or sub-metric; add() is on the hot path, so it only updates numbers. */
export interface Sink {
  readonly type: MetricType;
  add(value: number): void;
  isEmpty(): boolean;
}

/** Sums values (k6 CounterSink); rate = count / test seconds, computed by the reader. */
export class CounterSink implements Sink {
  readonly type = 'counter' as const;
  count = 0;
  samples = 0;
  add(value: number): void {
    this.count += value;
    this.samples++;
  }
  isEmpty(): boolean {
    return this.samples === 0;
  }
}

/** Last value plus min/max (k6 GaugeSink). */
export class GaugeSink implements Sink {
  readonly type = 'gauge' as const;
  value = 0;
  min = 0;
  max = 0;
  samples = 0;
  add(value: number): void {
    if (this.samples === 0 || value < this.min) this.min = value;
    if (this.samples === 0 || value > this.max) this.max = value;
    this.value = value;
    this.samples++;
  }
  isEmpty(): boolean {
    return this.samples === 0;
  }
}

/** Share of non-zero values (k6 RateSink): passes = non-zero, fails = zero. */
export class RateSink implements Sink {
  readonly type = 'rate' as const;
  passes = 0;
  total = 0;
  add(value: number): void {
    if (value !== 0) this.passes++;
    this.total++;
  }
  get fails(): number {
    return this.total - this.passes;
  }
  /** 0 when empty, as k6's summary shows it (thresholds treat empty rates separately). */
  get rate(): number {
    return this.total === 0 ? 0 : this.passes / this.total;
  }
  isEmpty(): boolean {
    return this.total === 0;
  }
}

/** How many values a trend keeps exactly before it switches to a ~1%-error histogram (16 MB per trend). */
export const DEFAULT_EXACT_LIMIT = 2 ** 21;

/**
 * Keeps every value in a growable Float64Array (8 bytes each) so percentiles are exact and
 * interpolated the way k6's TrendSink does; past `exactLimit` values it moves them into a
 * log-bucket histogram (relative error < 1%) so memory stays bounded on long runs.
 */
export class TrendSink implements Sink {
  readonly type = 'trend' as const;
  private values = new Float64Array(1024);
  /** Length of the prefix of `values` already in ascending order. */
  private sortedCount = 0;
  private histogram: LogHistogram | undefined;
  count = 0;
  sum = 0;
  min = 0;
  max = 0;

  constructor(private readonly exactLimit = DEFAULT_EXACT_LIMIT) {}

  add(value: number): void {
    if (this.count === 0 || value < this.min) this.min = value;
    if (this.count === 0 || value > this.max) this.max = value;
    this.sum += value;
    if (this.histogram === undefined && this.count === this.exactLimit) this.toHistogram();
    if (this.histogram !== undefined) {
      this.histogram.add(value);
      this.count++;
      return;
    }
    if (this.count === this.values.length) {
      const grown = new Float64Array(Math.min(this.values.length * 2, this.exactLimit));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  private toHistogram(): void {
    const histogram = new LogHistogram();
    for (let i = 0; i < this.count; i++) histogram.add(this.values[i] ?? 0);
    this.histogram = histogram;
    this.values = new Float64Array(0);
  }

  /** True once the trend holds more than its exact limit and answers from the histogram. */
  get approximate(): boolean {
    return this.histogram !== undefined;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  get med(): number {
    return this.percentile(50);
  }

  /** pct in 0..100; linear interpolation between the closest ranks, as k6 does. */
  percentile(pct: number): number {
    if (this.count === 0) return 0;
    if (pct <= 0) return this.min;
    if (pct >= 100) return this.max;
    const rank = (pct / 100) * (this.count - 1);
    const [lo = 0, hi = lo] =
      this.histogram !== undefined
        ? this.histogram
            .atRanks([Math.floor(rank), Math.ceil(rank)])
            .map((v) => Math.min(Math.max(v, this.min), this.max))
        : this.exactAt(Math.floor(rank), Math.ceil(rank));
    return lo + (hi - lo) * (rank - Math.floor(rank));
  }

  private exactAt(a: number, b: number): [number, number] {
    if (this.count === 1) return [this.values[0] ?? 0, this.values[0] ?? 0];
    const view = this.view();
    return [view[a] ?? 0, view[b] ?? 0];
  }

  /**
   * The exact values in ascending order (empty once the trend is approximate). Only values added
   * since the last call get sorted, then merged in linear time, so thresholds evaluated every few
   * seconds never re-sort millions of values on the main thread.
   */
  view(): Float64Array {
    if (this.histogram !== undefined) return new Float64Array(0);
    if (this.sortedCount < this.count) {
      const tail = this.values.subarray(this.sortedCount, this.count).sort();
      const last = this.values[this.sortedCount - 1];
      if (this.sortedCount > 0 && last !== undefined && (tail[0] ?? last) < last) this.mergeTail();
      this.sortedCount = this.count;
    }
    return this.values.subarray(0, this.count);
  }

  private mergeTail(): void {
    const merged = new Float64Array(this.values.length);
    const split = this.sortedCount;
    let i = 0;
    let j = split;
    let k = 0;
    while (i < split && j < this.count) {
      const a = this.values[i] ?? 0;
      const b = this.values[j] ?? 0;
      if (a <= b) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    merged.set(this.values.subarray(i, split), k);
    merged.set(this.values.subarray(j, this.count), k + split - i);
    this.values = merged;
  }

  isEmpty(): boolean {
    return this.count === 0;
  }
}

/** Any of the four sinks. */
export type AnySink = CounterSink | GaugeSink | RateSink | TrendSink;

export function createSink(type: MetricType): AnySink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}
