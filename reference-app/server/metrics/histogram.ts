/**
 * A mergeable log-bucketed histogram (about 2% relative error), so percentiles
 * can be computed over several instances' samples without averaging percentiles.
 */
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
const MIN_VALUE = 0.001;

/** Sparse bucket counts; serialisable as JSON for publishing across instances. */
export interface HistogramData {
  counts: Record<string, number>;
  count: number;
  sum: number;
  max: number;
}

export const emptyHistogram = (): HistogramData => ({ counts: {}, count: 0, sum: 0, max: 0 });

export function record(h: HistogramData, value: number): void {
  const v = Math.max(value, MIN_VALUE);
  const idx = Math.floor(Math.log(v / MIN_VALUE) / LOG_GROWTH);
  h.counts[idx] = (h.counts[idx] ?? 0) + 1;
  h.count += 1;
  h.sum += value;
  if (value > h.max) h.max = value;
}

export function merge(into: HistogramData, from: HistogramData): HistogramData {
  for (const [k, c] of Object.entries(from.counts)) into.counts[k] = (into.counts[k] ?? 0) + c;
  into.count += from.count;
  into.sum += from.sum;
  into.max = Math.max(into.max, from.max);
  return into;
}

/** The value at quantile q (0..1), or null with no samples. */
export function quantile(h: HistogramData, q: number): number | null {
  if (h.count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * h.count));
  const keys = Object.keys(h.counts)
    .map(Number)
    .sort((a, b) => a - b);
  let seen = 0;
  for (const k of keys) {
    seen += h.counts[k] ?? 0;
    // The bucket's upper bound, capped by the largest value seen.
    if (seen >= rank) return Math.min(MIN_VALUE * GROWTH ** (k + 1), h.max);
  }
  return h.max;
}

export const mean = (h: HistogramData): number | null => (h.count === 0 ? null : h.sum / h.count);

/**
 * A sliding window of histograms: `slices` slices of `sliceMs` each, so
 * "recent" figures forget old samples without keeping every sample.
 */
export class WindowedHistogram {
  private readonly slices: { start: number; data: HistogramData }[] = [];

  constructor(
    private readonly sliceMs = 10_000,
    private readonly sliceCount = 6,
    private readonly now: () => number = Date.now,
  ) {}

  record(value: number): void {
    const t = this.now();
    const start = t - (t % this.sliceMs);
    let last = this.slices[this.slices.length - 1];
    if (!last || last.start !== start) {
      last = { start, data: emptyHistogram() };
      this.slices.push(last);
      this.prune(t);
    }
    record(last.data, value);
  }

  /** The merged histogram of the window and the window's length in seconds. */
  snapshot(): { data: HistogramData; windowS: number } {
    const t = this.now();
    this.prune(t);
    const data = emptyHistogram();
    for (const s of this.slices) merge(data, s.data);
    const oldest = this.slices[0]?.start ?? t;
    return { data, windowS: Math.max(1, (t - oldest) / 1000) };
  }

  private prune(t: number): void {
    const horizon = t - this.sliceMs * this.sliceCount;
    while (this.slices.length > 0 && (this.slices[0]?.start ?? 0) < horizon) this.slices.shift();
  }
}
