/** The result model: one shape every stage after measurement reads. */
export * from './schema.ts';
export { LIGHTHOUSE_CATEGORIES, LIGHTHOUSE_METRICS } from './schema-frontend.ts';
export { readResults, validateResults, readJsonFile, writeJsonAtomic, writeResults, readVerdicts } from './io.ts';
export { generateResultsJsonSchema, publishedResultsJsonSchema } from './json-schema.ts';
export { fromK6Summary } from './from-k6-summary.ts';
export type {
  K6SummaryData,
  K6SummaryMetric,
  K6SummaryGroup,
  PerSecondSeries,
  EndpointAggregate,
  RunnerPerSecondPoint,
} from './from-k6-summary.ts';
export { fromPerformanceSnapshot } from './from-performance-snapshot.ts';
export { fromLighthouseResult, fromBundleResult, machineFromLighthouse } from './from-tools.ts';
export { compileSchema, escapePointer } from './validate.ts';
export type { SchemaProblem } from './validate.ts';
export * from './verdicts.ts';
export * from './identity.ts';
export { describeMachine, browserVersionNumber } from './machine.ts';
