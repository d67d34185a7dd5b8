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
