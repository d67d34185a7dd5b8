/** k6 metric types: Counter sums, Gauge keeps the last value, Rate counts non-zero values, Trend keeps every value. */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** What a metric's values mean: plain numbers, milliseconds or bytes (drives the summary's formatting). */
export type ValueType = 'default' | 'time' | 'data';

/** One measured value, as k6's metrics.Sample. time = ms since epoch. */
export interface Sample {
  metric: string;
  value: number;
  time: number;
  tags: Record<string, string>;
}

/** Metric declaration (built-in or custom from k6/metrics). */
export interface MetricDef {
  name: string;
  type: MetricType;
  contains: ValueType;
}

/** One threshold of options.thresholds, validated against the registry. */
export interface ThresholdSpec {
  /** Metric or sub-metric name as written in options.thresholds, e.g. `http_req_duration{name:slow}`. */
  metric: string;
  /** The expression text exactly as written, e.g. `p(95)<300`. */
  source: string;
  abortOnFail: boolean;
  /** 0 when delayAbortEval was not given (abort on the first failing evaluation). */
  delayAbortEvalMs: number;
}

/** The verdict of one threshold at one evaluation. */
export interface ThresholdResult {
  metric: string;
  source: string;
  ok: boolean;
  abortOnFail: boolean;
}

/** A check in handleSummary's root_group tree. */
export interface K6SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

/** A group in handleSummary's root_group tree; the root has name '' and path ''. */
export interface K6SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: K6SummaryGroup[];
  checks: K6SummaryCheck[];
}

/** One metric entry of handleSummary's data.metrics. */
export interface K6SummaryMetric {
  type: MetricType;
  contains: ValueType;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** Exactly what k6 passes to handleSummary(data). */
export interface K6SummaryData {
  root_group: K6SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, K6SummaryMetric>;
}
