/**
 * The exit codes of `k6 run` that perfkit's engines produce, with k6's own names
 * (errext/exitcodes in k6's source), so callers compare against names, not numbers.
 */
export const K6_EXIT_CODE = {
  ok: 0,
  /** A threshold failed at the end, or an abortOnFail threshold stopped the test. */
  thresholdsFailed: 99,
  setupTimeout: 100,
  /** Bad options: unknown executor, invalid threshold, missing script, … */
  invalidConfig: 104,
  /** Stopped from outside (SIGINT, an aborted signal). */
  externalAbort: 105,
  /** The script threw (init code, setup, teardown) or does not compile. */
  scriptException: 107,
  /** The script called exec.test.abort(). */
  scriptAborted: 108,
  /** Any other error before the test: an unknown flag, an invalid --summary-mode (k6's generic exit). */
  genericError: 255,
} as const;

/** One of the exit codes above. */
export type K6ExitCode = (typeof K6_EXIT_CODE)[keyof typeof K6_EXIT_CODE];
