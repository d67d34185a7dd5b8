/** Statistics for verdicts that do not flip on noise: quantile intervals, run spreads and rank tests. */
export { normalCdf, normalQuantile } from './normal.ts';
export { percentile, quantileEstimate, quantileRanks } from './quantile.ts';
export type { Estimate, RankInterval } from './quantile.ts';
export {
  HISTOGRAM_GAMMA,
  histogramCount,
  histogramOf,
  histogramPoints,
  histogramQuantile,
  mergeHistograms,
} from './histogram.ts';
export type { Histogram } from './histogram.ts';
export { rankTest, weighted } from './rank-test.ts';
export type { RankTest, Weighted } from './rank-test.ts';
export { spreadOf } from './spread.ts';
export type { Spread } from './spread.ts';
