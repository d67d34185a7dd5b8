/**
 * Messages between the main thread and VU workers. Two channels per VU: the
 * worker's parentPort for control (commands, samples, logs) and a dedicated
 * sync port for blocking http calls, which the VU reads with receiveMessageOnPort
 * and never listens on (a listener would steal the replies).
 */
import type { MessagePort } from 'node:worker_threads';
import type { MetricDef, Sample } from './metrics/types.ts';

/** Cells of the per-VU Int32Array shared with the main thread. */
export const CELL = { reply: 0, interrupt: 1, softStop: 2 } as const;
export const CELL_COUNT = 4;

/** What the worker gets at start. */
export interface VuWorkerData {
  vuId: number;
  env: Record<string, string>;
  scriptDir: string;
  cells: SharedArrayBuffer;
  syncPort: MessagePort;
  /** Tags from options.tags, applied to every sample. */
  testTags: Record<string, string>;
  options: Record<string, unknown>;
  /** Niceness of the VU thread (Linux), so the I/O thread keeps priority. */
  nice: number;
}

/** One HTTP request as the I/O side executes it. */
export interface HttpRequestSpec {
  method: string;
  url: string;
  /** url split by the VU, so the I/O thread does not parse it again. */
  origin: string;
  path: string;
  headers: Array<[string, string]>;
  body: string | Uint8Array | null;
  timeoutMs: number;
  responseType: 'text' | 'binary' | 'none';
}

/** k6's Response.timings, in ms. */
export interface HttpTimings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

/** One HTTP response (or network error with status 0) as sent back to the VU. */
export interface HttpReply {
  status: number;
  statusText: string;
  /** Response headers as "name: value" lines joined by "\n": one string clones far faster than pairs. */
  headers: string;
  body: string | ArrayBuffer | null;
  timings: HttpTimings;
  error: string;
  errorCode: number;
  bytesSent: number;
  bytesReceived: number;
  startedAt: number;
}

/** A blocking call from a VU on its sync port. */
export interface SyncRequest {
  id: number;
  reqs: HttpRequestSpec[];
}

/** The reply to a SyncRequest, same order as its reqs. */
export interface SyncReply {
  id: number;
  replies: HttpReply[];
}

/** What a VU needs to know about the scenario it runs iterations for. */
export interface RunSpec {
  scenario: string;
  executor: string;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
  /** Int32 counter shared by the scenario's VUs: iterationInTest, and the shared-iterations budget. */
  counter: SharedArrayBuffer;
  scenarioStart: number;
  /** When the test clock started (epoch ms), for exec.instance.currentTestRunDuration. */
  testStart: number;
  /** The scenario's planned length in ms (no graceful stop), for exec.scenario.progress; 0 when iteration-bound. */
  plannedMs: number;
}

/** Main → VU control messages. */
export type VuCommand =
  | { t: 'setupData'; json: string | null }
  | { t: 'options'; options: Record<string, unknown> }
  | { t: 'loop'; run: RunSpec; endAt: number; perVu: number; sharedTotal: number }
  | { t: 'once'; run: RunSpec }
  | { t: 'setup' }
  | { t: 'teardown'; json: string | null }
  | { t: 'summary'; data: unknown };

/** Numbers per request row in HttpSamples.rows. */
export const HTTP_ROW = 12;

/** Compact http_req_* samples: tag sets are sent once per VU and referenced by id. */
export interface HttpSamples {
  tagSets: Array<[number, Record<string, string>]>;
  /** Rows of [tagId, time, duration, blocked, connecting, tls, sending, waiting, receiving, failed, sent, received]. */
  rows: Float64Array;
  /** The VU forgot its tag ids before these tagSets: forget yours. */
  reset: boolean;
}

/** VU → main control messages. */
export type VuEvent =
  | { t: 'ready'; options: unknown; exports: string[] }
  | { t: 'metric'; def: MetricDef }
  | { t: 'samples'; samples: Sample[]; http?: HttpSamples }
  | { t: 'done'; iterations: number; interrupted: number }
  | { t: 'result'; ok: boolean; value: unknown; error?: string }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, string> }
  | { t: 'abort'; reason: string };
