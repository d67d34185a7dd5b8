export { runLighthouse } from './collect.ts';
export type { RunLighthouseOptions } from './collect.ts';
export { selectRepresentativeRun, computeSpread, median, isValidRun } from './aggregate.ts';
export { summarizeRun, extractMetrics, extractResources, extractScores } from './extract.ts';
export type { LhrLike } from './extract.ts';
export { login, DEFAULT_LOGIN_API } from './auth.ts';
export { formatRunLine, formatAuditTable } from './format.ts';
export type * from './types.ts';
