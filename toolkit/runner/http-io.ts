/**
 * The shared-pool transport of http.* (https, batches, and plain http when VUs
 * cannot use their own sockets): executes VU requests on one keep-alive undici
 * Agent on the main thread and measures k6's timing phases. Connect time comes
 * from a wrapped connector, matched to its request through undici's sendHeaders
 * channel, which fires synchronously right after the handler's onConnect for
 * the same request.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { failedReply, timeoutError } from './http-errors.ts';
import type { HttpReply, WireRequest } from './protocol.ts';

const connectMs = new WeakMap<object, number>();
/** What the sendHeaders channel tells a request: its connect time, and its socket's read count as it starts. */
interface ConnInfo {
  connecting: number;
  socket: Socket | null;
  readAtStart: number;
}
let current: ConnInfo | null = null;
let subscribed = false;

function ensureChannel(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:client:sendHeaders', (msg) => {
    const socket = (msg as { socket?: Socket }).socket;
    if (!current || !socket) return;
    current.socket = socket;
    current.readAtStart = socket.bytesRead;
    const ms = connectMs.get(socket);
    if (ms !== undefined) {
      current.connecting = ms;
      connectMs.delete(socket);
    }
    current = null;
  });
}

function timedConnector(): buildConnector.connector {
  const base = buildConnector({});
  return (opts, cb) => {
    const t0 = performance.now();
    return base(opts, (err, socket) => {
      if (socket) connectMs.set(socket, performance.now() - t0);
      if (err) cb(err, null);
      else cb(null, socket!);
    });
  };
}

/**
 * data_sent of one request: the head as k6 (Go's net/http) writes it, with the headers in the order
 * the VU gave them, plus the body. undici's own head differs (a lowercase host line and a Connection
 * line), so its bytes are not what a k6 run would count.
 */
export function requestBytes(spec: WireRequest): number {
  let n = spec.method.length + spec.path.length + 12; // "GET /path HTTP/1.1\r\n"
  let host = false;
  for (let i = 0; i + 1 < spec.headers.length; i += 2) {
    const k = spec.headers[i]!;
    if (k === 'Host') host = true;
    n += Buffer.byteLength(k) + Buffer.byteLength(spec.headers[i + 1]!) + 4;
  }
  if (!host) n += spec.origin.length - spec.origin.indexOf('//') - 2 + 8; // "Host: 127.0.0.1:8080\r\n"
  if (spec.body) n += typeof spec.body === 'string' ? Buffer.byteLength(spec.body) : spec.body.byteLength;
  return n + 2;
}

export class HttpIo {
  private readonly agent: Agent;

  constructor() {
    ensureChannel();
    this.agent = new Agent({ connect: timedConnector(), keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
  }

  /** Runs one request and calls `reply` exactly once (no promise per request: this is the main thread's hot path). */
  execute(spec: WireRequest, reply: (r: HttpReply) => void): void {
    const opts: Dispatcher.DispatchOptions = {
      origin: spec.origin,
      path: spec.path,
      method: spec.method as Dispatcher.HttpMethod,
      headers: spec.headers,
      body: spec.body,
      // undici's own timeouts tick coarsely (up to ~1 s late) and cost timer work per request; ours is exact.
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    this.agent.dispatch(opts, new TimedHandler(spec, requestBytes(spec), reply));
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

class TimedHandler implements Dispatcher.DispatchHandler {
  private readonly t0 = performance.now();
  private readonly startedAt = Date.now();
  private tConn = 0;
  private tSent = 0;
  private tResp = 0;
  private readonly conn: ConnInfo = { connecting: 0, socket: null, readAtStart: 0 };
  private status = 0;
  private statusText = '';
  private headers = '';
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private abort: ((err: Error) => void) | null = null;
  private timedOut = false;
  private readonly timer: NodeJS.Timeout;
  private finished = false;

  constructor(
    private readonly spec: WireRequest,
    private readonly sent: number,
    private readonly reply: (r: HttpReply) => void,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      // Not on a socket yet (still queued or connecting): answer now, abort once undici hands it a socket.
      if (this.abort) this.abort(timeoutError());
      else this.onError(timeoutError());
    }, spec.timeoutMs);
  }

  private done(r: HttpReply): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.reply(r);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.tConn = performance.now();
    current = this.conn;
    this.abort = abort;
    if (this.timedOut) abort(timeoutError());
  }

  onRequestSent(): void {
    this.tSent = performance.now();
  }

  onResponseStarted(): void {
    this.tResp = performance.now();
  }

  onHeaders(status: number, raw: Buffer[], _resume: () => void, statusText: string): boolean {
    if (!this.tResp) this.tResp = performance.now();
    this.status = status;
    this.statusText = statusText;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const k = raw[i]!.toString('latin1');
      const v = raw[i + 1]!.toString('latin1');
      this.received += k.length + v.length + 4;
      this.headers += `${k}: ${v}\n`;
    }
    this.received += 17 + statusText.length;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.received += chunk.length;
    if (this.spec.responseType !== 'none') this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const end = performance.now();
    const tConn = this.tConn || this.t0;
    const tSent = Math.max(this.tSent || tConn, tConn);
    const tResp = Math.max(this.tResp || tSent, tSent);
    const timings = {
      blocked: Math.max(0, tConn - this.t0 - this.conn.connecting),
      connecting: this.conn.connecting,
      tls_handshaking: 0,
      sending: tSent - tConn,
      waiting: tResp - tSent,
      receiving: end - tResp,
      duration: end - tConn,
    };
    this.done({
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
      body: this.body(),
      timings,
      error: '',
      errorCode: 0,
      bytesSent: this.sent,
      bytesReceived: this.wireBytesRead(),
      startedAt: this.startedAt,
    });
  }

  /**
   * data_received: every byte read from the connection for this response (status line, headers,
   * chunked framing, body), as k6's connection wrapper counts. One request at a time per connection
   * (undici's default pipelining of 1), so the socket's read count since the request started is its
   * response. Without a socket to ask, the parsed parts stand in.
   */
  private wireBytesRead(): number {
    const socket = this.conn.socket;
    if (socket) return socket.bytesRead - this.conn.readAtStart;
    return this.received + 2;
  }

  private body(): string | ArrayBuffer | null {
    if (this.spec.responseType === 'none') return null;
    const buf = Buffer.concat(this.chunks);
    if (this.spec.responseType === 'binary')
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    return buf.toString('utf8');
  }

  onError(err: Error): void {
    this.done(failedReply(err, this.startedAt, this.t0, this.tConn, this.tSent, this.sent));
  }

  onUpgrade(): void {}
}
