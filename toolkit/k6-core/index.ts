/**
 * k6's semantics, shared by both engines and free of how VUs run: options and
 * schedules, metrics and thresholds, the summary and output formats, exit and
 * HTTP error codes, log lines, script bundling, and the run API's types.
 * Imports nothing of the toolkit but `toolkit/errors.ts`.
 */
export * from './options/index.ts';
export * from './schedules/index.ts';
export * from './metrics/index.ts';
export * from './thresholds/index.ts';
export * from './summary/index.ts';
export * from './outputs/index.ts';
export * from './bundle/index.ts';
export { K6_EXIT_CODE, type K6ExitCode } from './exit-codes.ts';
export { K6_HTTP_ERROR_CODE, k6HttpError, type K6HttpErrorKind } from './http-errors.ts';
export { formatLog } from './log-format.ts';
export type { RunScriptOptions, RunOutcome, Progress, EngineChoice, Writer } from './run-api.ts';
