/**
 * Metrics side of the built-in k6-compatible runner: sinks per metric and sub-metric,
 * thresholds, handleSummary data, --summary-export, the text summary, --out json and
 * per-second series for charts.
 */
export type {
  MetricType,
  ValueType,
  Sample,
  MetricDef,
  ThresholdSpec,
  ThresholdResult,
  K6SummaryData,
  K6SummaryMetric,
  K6SummaryGroup,
  K6SummaryCheck,
} from './types.ts';
export { MetricsRegistry, type MetricState, type CheckTally } from './registry.ts';
export { BUILTIN_METRICS, EXPECTED_RESPONSE_SUBMETRIC } from './builtins.ts';
export { CounterSink, GaugeSink, RateSink, TrendSink, createSink, type AnySink, type Sink } from './sinks.ts';
export { parseMetricName, tagsMatch, type ParsedMetricName } from './submetric.ts';
export {
  parseThresholdExpression,
  compare,
  SUPPORTED_AGGREGATIONS,
  type ThresholdExpression,
  type ThresholdOperator,
} from './threshold-expression.ts';
export {
  parseThresholds,
  evaluateThresholds,
  shouldAbort,
  abortMessage,
  aggregate,
  parseDurationMs,
} from './thresholds.ts';
export {
  buildSummaryData,
  buildRootGroup,
  metricValues,
  validateTrendStats,
  DEFAULT_TREND_STATS,
  type SummaryInput,
} from './summary-data.ts';
export {
  buildSummaryExport,
  formatSummaryExport,
  type SummaryExport,
  type SummaryExportGroup,
} from './summary-export.ts';
export { validateSummaryShape } from './summary-shape.ts';
export { renderTextSummary, type TextSummaryOptions } from './text-summary.ts';
export { createJsonOutput, type JsonOutput, type JsonOutputOptions } from './json-output.ts';
export { PerSecondAggregator, type PerSecondPoint, type PerSecondNamePoint } from './per-second.ts';
export { humanizeValue, humanizeDuration, humanizeBytes } from './format.ts';
export { SummaryBreakdown, type BreakdownNode } from './breakdown.ts';
