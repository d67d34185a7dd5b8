/**
 * Quantiles and their distribution-free confidence intervals. The interval of the p-quantile is a pair of
 * order statistics: X(l) <= ξp <= X(u) holds with the binomial probability P(l <= B < u), B ~ Bin(n, p), so
 * it needs no assumption about the shape of the latency distribution.
 */
import { normalQuantile } from './normal.ts';

/** k6's percentile (p in 0..100): linear interpolation between the closest ranks of the sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (rank - lo);
}

/** 0-based ranks of the order statistics bounding a quantile, and the confidence they achieve. */
export interface RankInterval {
  lo: number;
  hi: number;
  /** P(X(lo) <= ξp <= X(hi)); below the asked level when n is too small to reach it. */
  confidence: number;
}

/** P(B = k) for every k, B ~ Bin(n, p), built term by term in logs so large n neither overflows nor underflows. */
function binomialPmfs(n: number, p: number): number[] {
  if (p <= 0 || p >= 1) return Array.from({ length: n + 1 }, (_, k) => (k === (p <= 0 ? 0 : n) ? 1 : 0));
  const logs = [n * Math.log(1 - p)];
  const odds = Math.log(p / (1 - p));
  for (let k = 0; k < n; k++) logs.push((logs[k] ?? 0) + Math.log((n - k) / (k + 1)) + odds);
  return logs.map(Math.exp);
}

/** Exact ranks by walking the binomial distribution from both tails (n up to a few thousand). */
function exactRanks(n: number, p: number, alpha: number): RankInterval {
  // l (1-based) is the largest rank with P(B <= l-1) <= alpha/2; u the smallest with P(B >= u) <= alpha/2.
  const pmf = binomialPmfs(n, p);
  const at = (k: number): number => pmf[k] ?? 0;
  let lower = 0;
  let l = 0;
  while (l < n && lower + at(l) <= alpha / 2) lower += at(l++);
  let upper = 0;
  let u = n + 1;
  while (u > 1 && upper + at(u - 1) <= alpha / 2) upper += at(--u);
  const loRank = Math.max(1, l);
  const hiRank = Math.min(n, u);
  // When no rank reaches the level, the extreme order statistic's own tail is what the interval leaves out.
  const tailLo = l >= 1 ? lower : at(0);
  const tailHi = u <= n ? upper : at(n);
  return { lo: loRank - 1, hi: hiRank - 1, confidence: Math.max(0, 1 - tailLo - tailHi) };
}

/**
 * The order statistics that bound the p-quantile (p in 0..1) of n samples at the given confidence.
 * Small samples cannot reach every level: then the interval is [min, max] and `confidence` says what it is.
 */
export function quantileRanks(n: number, p: number, confidence = 0.95): RankInterval {
  if (n <= 0) return { lo: 0, hi: 0, confidence: 0 };
  const alpha = 1 - confidence;
  if (n <= 2000) return exactRanks(n, p, alpha);
  const z = normalQuantile(1 - alpha / 2);
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(n * p - z * sd) - 1);
  const hi = Math.min(n - 1, Math.ceil(n * p + z * sd));
  return { lo, hi, confidence };
}

/** A figure with its uncertainty: the point estimate and the interval around it. */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
  /** The confidence the interval reaches (e.g. 0.95). */
  confidence: number;
  /** How many observations the estimate rests on (requests, Lighthouse runs). */
  n: number;
}

/** The p-quantile (p in 0..1) of sorted values with its order-statistic interval. */
export function quantileEstimate(sorted: ArrayLike<number>, p: number, confidence = 0.95): Estimate | null {
  const n = sorted.length;
  if (n === 0) return null;
  const ranks = quantileRanks(n, p, confidence);
  return {
    value: percentile(sorted, p * 100),
    lo: sorted[ranks.lo] ?? 0,
    hi: sorted[ranks.hi] ?? 0,
    confidence: ranks.confidence,
    n,
  };
}
