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
