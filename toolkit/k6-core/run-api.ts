/** The run API both engines implement: what runScript takes and what it resolves with. */
import type { OptionOverrides } from './options/index.ts';
import type { PerSecondPoint } from './outputs/index.ts';
import type { K6SummaryData } from './summary/index.ts';
import type { ThresholdResult } from './thresholds/index.ts';

/** A text sink (process.stdout, a test buffer). */
export interface Writer {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** A snapshot of a running test, as progress lines show it and runScript's onProgress receives it. */
export interface Progress {
  elapsedMs: number;
  totalMs: number;
  vus: number;
  vusMax: number;
  iterations: number;
  interrupted: number;
  /** Requests so far and those that failed (http_reqs, http_req_failed), when the engine knows them. */
  requests?: number;
  failedRequests?: number;
  /** Checks so far and those that passed. */
  checks?: number;
  checksPassed?: number;
}

/** Which runtime executes the script: ours, real k6, or k6 when it is installed. */
export type EngineChoice = 'builtin' | 'k6' | 'auto';

/** Arguments of runScript. */
export interface RunScriptOptions {
  /** Path of the k6 script (.js or .ts). */
  script: string;
  /** __ENV of the script (k6's -e KEY=VALUE). */
  env?: Record<string, string>;
  /** Overrides of the script's options, as k6's CLI flags. */
  options?: OptionOverrides;
  engine?: EngineChoice;
  /** Explicit k6 binary (else K6_BIN from env, else `k6` on PATH). */
  k6Bin?: string;
  /** Folder for the run's files (summary-export.json, samples.ndjson, timeseries.json) when their paths are not given. */
  outDir?: string;
  summaryExport?: string;
  /** NDJSON samples in k6's --out json format. */
  jsonOut?: string;
  /** Per-second aggregates as JSON. */
  timeseriesOut?: string;
  /** No live progress. */
  quiet?: boolean;
  /** Do not print the default end-of-test summary (handleSummary still runs). */
  noSummary?: boolean;
  /** k6's --summary-mode (compact, full, disabled; legacy in k6 1.x only). */
  summaryMode?: string;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  stdout?: Writer;
  stderr?: Writer;
  cwd?: string;
  /**
   * How VUs make plain-http requests: 'vu' on their own sockets (the vu-socket addon, built with the
   * machine's C compiler), 'shared' on the main thread's connection pool; 'auto' (default) prefers 'vu'.
   */
  httpTransport?: 'auto' | 'vu' | 'shared';
  /**
   * Built-in engine: how VUs run. 'isolate': a worker thread each. 'shared': many VUs per thread,
   * each in its own vm context, the script compiled so it suspends at k6's blocking calls; a script it
   * cannot run as k6 does is refused, naming the construct. 'auto' (default): shared when the script
   * allows it, else isolate with one line saying why.
   */
  vuModel?: 'isolate' | 'shared' | 'auto';
  /**
   * Built-in engine: how long a VU's init code (the script's top level) may run, a k6 duration
   * (default 60s, like setupTimeout); 0 = no limit. Longer ends the run with exit 107.
   */
  initTimeout?: string;
  /** Linux niceness of VU threads (default 12) so the I/O thread serving them keeps priority; 0 disables. */
  vuNice?: number;
  /** Environment used to find k6 (PATH, K6_BIN); never read from the process environment here. */
  processEnv?: Record<string, string | undefined>;
}

/** What a run produced, the same whichever engine ran it. */
export interface RunOutcome {
  exitCode: number;
  engine: 'builtin' | 'k6';
  /** The engine's version: real k6's `k6 version` ("2.2.0"). */
  engineVersion?: string;
  /** The built-in engine's transport for plain-http requests (absent for real k6). */
  httpTransport?: 'vu' | 'shared';
  /** The built-in engine's VU model that ran (absent for real k6). */
  vuModel?: 'isolate' | 'shared';
  /** k6's handleSummary data; null when the script failed before the test started. */
  summary: K6SummaryData | null;
  thresholds: ThresholdResult[];
  timeseries: PerSecondPoint[];
  ndjsonPath?: string;
  summaryExportPath?: string;
  timeseriesPath?: string;
  durationMs: number;
  /** Why the run stopped early, if it did. */
  aborted: string | null;
}
