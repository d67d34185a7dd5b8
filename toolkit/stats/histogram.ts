/**
 * A compact, mergeable latency histogram that results.json can carry: log buckets whose bounds differ by
 * 2 %, so any value read back is within 1 % of the values in its bucket. It keeps enough of the
 * distribution for quantile intervals and rank tests against a baseline without the raw samples.
 */
import { quantileRanks, type Estimate } from './quantile.ts';

/** Bucket growth factor: bucket i holds values in (GAMMA^(i-1), GAMMA^i]. */
export const HISTOGRAM_GAMMA = 1.02;
const LOG_GAMMA = Math.log(HISTOGRAM_GAMMA);

/** A histogram as stored: non-positive values counted in `zero`, the rest as [bucket index, count] ascending. */
export interface Histogram {
  gamma: number;
  zero: number;
  bins: Array<[number, number]>;
}

/** Counts values into a histogram (values <= 0 or not finite go to `zero`). */
export function histogramOf(values: Iterable<number>): Histogram {
  const counts = new Map<number, number>();
  let zero = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) {
      zero++;
      continue;
    }
    const i = Math.ceil(Math.log(v) / LOG_GAMMA);
    counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  return { gamma: HISTOGRAM_GAMMA, zero, bins: [...counts].sort((a, b) => a[0] - b[0]) };
}

/** The sum of several histograms (of the same gamma). */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const counts = new Map<number, number>();
  let zero = 0;
  for (const h of parts) {
    zero += h.zero;
    for (const [i, n] of h.bins) counts.set(i, (counts.get(i) ?? 0) + n);
  }
  return { gamma: parts[0]?.gamma ?? HISTOGRAM_GAMMA, zero, bins: [...counts].sort((a, b) => a[0] - b[0]) };
}

/** How many values a histogram holds. */
export function histogramCount(h: Histogram): number {
  return h.bins.reduce((sum, [, n]) => sum + n, h.zero);
}

/** The histogram as ascending [representative value, count] pairs (the bucket's midpoint in log space). */
export function histogramPoints(h: Histogram): Array<[number, number]> {
  const mid = (i: number): number => (2 * h.gamma ** i) / (h.gamma + 1);
  const points: Array<[number, number]> = h.zero > 0 ? [[0, h.zero]] : [];
  for (const [i, n] of h.bins) points.push([mid(i), n]);
  return points;
}

/** The value at a 0-based rank (the largest value for ranks past the end). */
function valueAtRank(points: Array<[number, number]>, rank: number): number {
  let seen = 0;
  for (const [value, n] of points) {
    seen += n;
    if (rank < seen) return value;
  }
  return points[points.length - 1]?.[0] ?? 0;
}

/** The p-quantile (p in 0..1) read from a histogram, with its order-statistic interval. */
export function histogramQuantile(h: Histogram, p: number, confidence = 0.95): Estimate | null {
  const n = histogramCount(h);
  if (n === 0) return null;
  const ranks = quantileRanks(n, p, confidence);
  const exact = p * (n - 1);
  const points = histogramPoints(h);
  const below = valueAtRank(points, Math.floor(exact));
  const above = valueAtRank(points, Math.min(n - 1, Math.floor(exact) + 1));
  const value = below + (above - below) * (exact - Math.floor(exact));
  const lo = Math.min(valueAtRank(points, ranks.lo), value);
  const hi = Math.max(valueAtRank(points, ranks.hi), value);
  return { value, lo, hi, confidence: ranks.confidence, n };
}
