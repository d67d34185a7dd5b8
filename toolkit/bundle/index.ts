export { analyzeBundle, bundleSizeFromStats, assetKind } from './analyze.ts';
export type { AnalyzeBundleOptions } from './analyze.ts';
export { readStats } from './stats-file.ts';
export type { WebpackStats } from './stats-file.ts';
export { formatBundleTable, formatBytes } from './format.ts';
export type * from './types.ts';
