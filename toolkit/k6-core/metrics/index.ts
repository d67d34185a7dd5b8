/** k6's metrics: types, the built-in metrics, sinks, sub-metric selectors and the registry that routes samples. */
export type { MetricType, ValueType, Sample, MetricDef } from './types.ts';
export { MetricsRegistry, type MetricState, type CheckTally } from './registry.ts';
export { BUILTIN_METRICS, EXPECTED_RESPONSE_SUBMETRIC } from './builtins.ts';
export { CounterSink, GaugeSink, RateSink, TrendSink, createSink, type AnySink, type Sink } from './sinks.ts';
export { parseMetricName, tagsMatch, type ParsedMetricName } from './submetric.ts';
export { SummaryBreakdown, type BreakdownNode } from './breakdown.ts';
