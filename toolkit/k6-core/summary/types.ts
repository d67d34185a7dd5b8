import type { MetricType, ValueType } from '../metrics/index.ts';

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
  /** setup()'s return value after a JSON round trip; absent when setup() returned undefined. */
  setup_data?: unknown;
  root_group: K6SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, K6SummaryMetric>;
}
