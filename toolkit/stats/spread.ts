/** Per-metric statistics over a few repeated measurements (Lighthouse runs): the median and its spread. */
import { percentile, quantileRanks } from './quantile.ts';

/** The median of repeated runs with min, max, quartiles and the order-statistic interval of the median. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  iqr: number;
  /** The median's interval (for 5 runs: min..max, 94 % confidence; for 3 runs: min..max, 75 %). */
  lo: number;
  hi: number;
  confidence: number;
  n: number;
}

/** The spread of the finite values given, or null when there are none. */
export function spreadOf(values: readonly (number | null | undefined)[]): Spread | null {
  const sorted = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const q1 = percentile(sorted, 25);
  const q3 = percentile(sorted, 75);
  const ranks = quantileRanks(n, 0.5, 0.95);
  return {
    median: percentile(sorted, 50),
    min: sorted[0] ?? 0,
    max: sorted[n - 1] ?? 0,
    q1,
    q3,
    iqr: q3 - q1,
    lo: sorted[ranks.lo] ?? 0,
    hi: sorted[ranks.hi] ?? 0,
    confidence: ranks.confidence,
    n,
  };
}
