/**
 * Messages between the main thread and VU workers. Two channels per VU: the
 * worker's parentPort for control (commands, samples, logs) and a dedicated
 * sync port for blocking http calls, which the VU reads with receiveMessageOnPort
 * and never listens on (a listener would steal the replies).
 */
import type { MessagePort } from 'node:worker_threads';
import type { MetricDef, Sample } from '../k6-core/index.ts';

/** Cells of the per-VU Int32Array shared with the main thread. */
/** iteration: the VU's current iteration in its scenario, so the main thread can name it. */
export const CELL = { reply: 0, interrupt: 1, softStop: 2, iteration: 3 } as const;
export const CELL_COUNT = 4;
/**
 * After the Int32 cells, two Float64 ones: the bytes the VU sent and received since it last emitted
 * data_sent / data_received. The main thread emits them for a VU it had to terminate mid-iteration.
 */
export const IO_CELLS_OFFSET = 16;
export const CELLS_BYTES = IO_CELLS_OFFSET + 2 * 8;

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
  /** Path of the vu-socket addon: plain-http requests then run on the VU's own sockets; null for the shared pool only. */
  vuSocketAddon: string | null;
  /** Bounds on each response the addon reads (response-limits.ts). */
  responseLimits: { headBytes: number; bodyBytes: number };
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

/**
 * The sync port's wire format: flat arrays of primitives. Structured clone writes every
 * property name of every object, so one array per call costs far less than nested objects.
 * Request: [id, then per request: method, origin, path, headers (flat name, value, ...), body, timeoutMs, responseType].
 * Reply: [id, then per reply: REPLY_FIELDS values in the order of encodeReplies].
 */
export type SyncWire = unknown[];

const REQUEST_FIELDS = 7;
const REPLY_FIELDS = 17;

/** What the I/O side needs of a request: an HttpRequestSpec without url, headers flattened for undici. */
export interface WireRequest {
  method: string;
  origin: string;
  path: string;
  headers: string[];
  body: string | Uint8Array | null;
  timeoutMs: number;
  responseType: 'text' | 'binary' | 'none';
}

export function encodeRequests(id: number, reqs: HttpRequestSpec[]): SyncWire {
  const out: unknown[] = [id];
  for (const r of reqs) out.push(r.method, r.origin, r.path, r.headers.flat(), r.body, r.timeoutMs, r.responseType);
  return out;
}

export function decodeRequests(wire: SyncWire): WireRequest[] {
  const out: WireRequest[] = [];
  for (let i = 1; i + REQUEST_FIELDS <= wire.length; i += REQUEST_FIELDS) {
    out.push({
      method: wire[i] as string,
      origin: wire[i + 1] as string,
      path: wire[i + 2] as string,
      headers: wire[i + 3] as string[],
      body: wire[i + 4] as string | Uint8Array | null,
      timeoutMs: wire[i + 5] as number,
      responseType: wire[i + 6] as WireRequest['responseType'],
    });
  }
  return out;
}

export function encodeReplies(id: number, replies: HttpReply[]): SyncWire {
  const out: unknown[] = [id];
  for (const r of replies) {
    const t = r.timings;
    out.push(
      r.status,
      r.statusText,
      r.headers,
      r.body,
      r.error,
      r.errorCode,
      r.bytesSent,
      r.bytesReceived,
      r.startedAt,
      t.blocked,
      t.connecting,
      t.tls_handshaking,
      t.sending,
      t.waiting,
      t.receiving,
      t.duration,
      // Spare slot keeps REPLY_FIELDS a fixed stride if a field is added.
      0,
    );
  }
  return out;
}

export function decodeReplies(wire: SyncWire): HttpReply[] {
  const out: HttpReply[] = [];
  for (let i = 1; i + REPLY_FIELDS <= wire.length; i += REPLY_FIELDS) {
    const n = (k: number): number => wire[i + k] as number;
    out.push({
      status: n(0),
      statusText: wire[i + 1] as string,
      headers: wire[i + 2] as string,
      body: wire[i + 3] as string | ArrayBuffer | null,
      error: wire[i + 4] as string,
      errorCode: n(5),
      bytesSent: n(6),
      bytesReceived: n(7),
      startedAt: n(8),
      timings: {
        blocked: n(9),
        connecting: n(10),
        tls_handshaking: n(11),
        sending: n(12),
        waiting: n(13),
        receiving: n(14),
        duration: n(15),
      },
    });
  }
  return out;
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
export const HTTP_ROW = 10;

/** Compact http_req_* samples: tag sets are sent once per VU and referenced by id. */
export interface HttpSamples {
  tagSets: Array<[number, Record<string, string>]>;
  /** Rows of [tagId, time, duration, blocked, connecting, tls, sending, waiting, receiving, failed]. */
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
  // 'detail': perfkit's own plain stderr line, not a k6 log record (runner/log.ts).
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error' | 'detail'; msg: string; fields?: Record<string, string> }
  | { t: 'abort'; reason: string };
