/**
 * The shared VU model's HTTP/1.1 client: each VU owns a small keep-alive pool of node:net (node:tls
 * for https) connections, as each k6 VU owns its connections. It writes the head Go's net/http
 * writes for k6 (go-header.ts's requestHead, the same builder as the isolate model's direct-http.ts)
 * and reads the response with http-parse.ts, counting data_sent / data_received as k6 does: the
 * bytes written for the request and the bytes read for its response (every head, the framing, the
 * body). Everything per request lives on one Exchange object and its connection: no promise, no
 * closure, no timer of its own beyond the request timeout.
 */
import { Buffer } from 'node:buffer';
import { lookup } from 'node:dns';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { failedReply, timeoutError } from '../http-errors.ts';
import type { HttpReply, HttpRequestSpec } from '../protocol.ts';
import { asksClose, requestHead } from '../vu/go-header.ts';
import { ResponseParser, type ParseLimits } from './http-parse.ts';
import { targetOf, type Target } from '../vu/http-target.ts';

const DNS_TTL_MS = 5 * 60_000;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
/** Bodies up to this size go out with the head in one write (one packet, one syscall). */
const JOIN_BODY_BYTES = 65_536;

/** A network failure with the code k6's error kinds are mapped from (http-errors.ts). */
class NetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Resolved names, 5 minutes, shared by the thread's VUs (k6 caches lookups for the whole test). */
const dnsCache = new Map<string, { addrs: string[]; until: number }>();

function resolve(host: string, done: (err: Error | null, addrs: string[]) => void): void {
  if (isIP(host)) return done(null, [host]);
  const cached = dnsCache.get(host);
  if (cached && cached.until > Date.now()) return done(null, cached.addrs);
  lookup(host, { all: true }, (err, list) => {
    if (err || list.length === 0) {
      const why = err && err.code !== 'ENOTFOUND' ? ` (${err.code ?? err.message})` : '';
      done(new NetError('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}${why}`), []);
      return;
    }
    const addrs = list.map((a) => a.address);
    dnsCache.set(host, { addrs, until: Date.now() + DNS_TTL_MS });
    done(null, addrs);
  });
}

/** One request from its first attempt to its reply. */
class Exchange {
  readonly t0 = performance.now();
  readonly startedAt = Date.now();
  attempt = 0;
  /** When its connect began, when it had its connection (0: not yet), when the request was written, when the first response byte came. */
  dialAt = 0;
  tConn = 0;
  tSent = 0;
  tFirst = 0;
  connecting = 0;
  tlsHandshaking = 0;
  bytesSent = 0;
  conn: Conn | null = null;
  finished = false;
  timer: NodeJS.Timeout | null = null;
  /** The request asks the server to close (a Connection: close of its own or noConnectionReuse). */
  closes: boolean;

  constructor(
    readonly pool: NetHttp,
    readonly spec: HttpRequestSpec,
    readonly head: string,
    readonly reply: (r: HttpReply) => void,
    closes: boolean,
  ) {
    this.closes = closes;
  }
}

function onTimeout(ex: Exchange): void {
  ex.timer = null;
  ex.pool.fail(ex, timeoutError(), false);
}

const enum State {
  Connecting,
  Busy,
  Idle,
  Dead,
}

const CONN = Symbol('conn');
type ConnSocket = Socket & { [CONN]?: Conn };

// One set of listeners for every socket, finding their connection on it: no closures per connection.
function onSocketData(this: ConnSocket, chunk: Buffer): void {
  this[CONN]?.data(chunk);
}
function onSocketEnd(this: ConnSocket): void {
  this[CONN]?.ended();
}
function onSocketError(this: ConnSocket, err: Error): void {
  this[CONN]?.broken(err);
}
function onSocketClose(this: ConnSocket): void {
  this[CONN]?.broken(new NetError('ECONNRESET', 'read ECONNRESET'));
}
function onSocketReady(this: ConnSocket): void {
  this[CONN]?.connected();
}
function onTcpConnect(this: ConnSocket): void {
  const c = this[CONN];
  if (c) c.tcpAt = performance.now();
}

/** One connection of a VU's pool and the response parser reading it. */
class Conn {
  state = State.Connecting;
  ex: Exchange | null = null;
  /** Kept alive before this request: a failure before any response byte may be a stale connection. */
  reused = false;
  tcpAt = 0;
  /** The addresses being dialled and which one this connection is (a refused one moves on to the next). */
  addrs: string[] = [];
  addrIndex = 0;
  /** https: the TCP socket under the TLS one, whose byte counts k6 reports, and how far they were reported. */
  raw: Socket | null = null;
  readMark = 0;
  writeMark = 0;
  readonly parser: ResponseParser;

  constructor(
    readonly pool: NetHttp,
    readonly origin: string,
    readonly socket: Socket,
    limits: ParseLimits,
    raw: Socket | null,
  ) {
    this.parser = new ResponseParser(limits);
    (socket as ConnSocket)[CONN] = this;
    socket.on('data', onSocketData);
    socket.on('end', onSocketEnd);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
    if (raw) {
      this.raw = raw;
      (raw as ConnSocket)[CONN] = this;
      raw.once('connect', onTcpConnect);
      socket.once('secureConnect', onSocketReady);
    } else socket.once('connect', onSocketReady);
  }

  connected(): void {
    const ex = this.ex;
    if (!ex || this.state !== State.Connecting) return;
    const now = performance.now();
    if (this.raw) {
      ex.connecting += this.tcpAt - ex.dialAt;
      ex.tlsHandshaking = now - this.tcpAt;
    } else ex.connecting += now - ex.dialAt;
    this.pool.send(this, ex);
  }

  data(chunk: Buffer): void {
    const ex = this.ex;
    if (this.state !== State.Busy || !ex) {
      // Bytes nobody asked for on an idle connection: it cannot be trusted with a request.
      this.pool.drop(this);
      return;
    }
    if (ex.tFirst === 0) ex.tFirst = performance.now();
    const rc = this.parser.feed(chunk);
    if (rc === 0) return;
    if (rc > 0) this.pool.complete(this, ex);
    else this.pool.fail(ex, this.parser.error(rc), false);
  }

  ended(): void {
    const ex = this.ex;
    if (this.state === State.Busy && ex) {
      const rc = this.parser.end();
      if (rc > 0) this.pool.complete(this, ex);
      else this.pool.fail(ex, this.parser.error(rc), this.reused && this.parser.nothingRead());
      return;
    }
    this.pool.drop(this);
  }

  broken(err: Error): void {
    const ex = this.ex;
    if (ex && (this.state === State.Busy || this.state === State.Connecting)) {
      const stale = this.state === State.Busy && this.reused && this.parser.nothingRead();
      this.pool.fail(ex, err, stale);
      return;
    }
    this.pool.drop(this);
  }
}

/** Limits of one response (responseLimits in VuWorkerData). */
export interface NetHttpLimits {
  headBytes: number;
  bodyBytes: number;
}

/** One VU's HTTP/1.1 client: its connections, idle or busy, in one small array. */
export class NetHttp {
  private readonly conns: Conn[] = [];
  /** options.noConnectionReuse: a new connection for every request. */
  noReuse = false;
  /** options.insecureSkipTLSVerify: https without checking the server's certificate. */
  insecure = false;

  constructor(private readonly limits: NetHttpLimits) {}

  /** Runs one request and calls `reply` exactly once, unless abort() ends it first. */
  execute(spec: HttpRequestSpec, reply: (r: HttpReply) => void): void {
    const target = targetOf(spec.origin);
    let head: string;
    let ex: Exchange;
    try {
      const bodyBytes =
        spec.body === null ? null : typeof spec.body === 'string' ? Buffer.byteLength(spec.body) : spec.body.byteLength;
      head = requestHead(spec.method, spec.path, spec.headers, target.hostLine, bodyBytes, this.noReuse);
      ex = new Exchange(this, spec, head, reply, this.noReuse || asksClose(spec.headers));
    } catch (err) {
      reply(failedReply(err as Error, Date.now(), performance.now(), 0, 0, 0));
      return;
    }
    // Past 2^31 - 1 ms a Node timer would fire at once: a timeout that long never ends a request.
    if (spec.timeoutMs < 2 ** 31) ex.timer = setTimeout(onTimeout, spec.timeoutMs, ex);
    this.start(ex, target);
  }

  /** Ends every request in flight now (the VU's iteration was interrupted): their connections are closed. */
  abort(): void {
    for (let i = this.conns.length - 1; i >= 0; i--) {
      const c = this.conns[i]!;
      if (c.state === State.Busy || c.state === State.Connecting) {
        if (c.ex) this.finish(c.ex);
        this.drop(c);
      }
    }
  }

  /** Closes the idle connections (noVUConnectionReuse, between iterations). */
  closeIdle(): void {
    for (let i = this.conns.length - 1; i >= 0; i--) if (this.conns[i]!.state === State.Idle) this.drop(this.conns[i]!);
  }

  /** Closes every connection; requests in flight get no reply. */
  close(): void {
    this.abort();
    this.closeIdle();
  }

  /** How many connections the pool holds (for tests). */
  get size(): number {
    return this.conns.length;
  }

  private start(ex: Exchange, target: Target): void {
    const conns = this.conns;
    for (let i = conns.length - 1; i >= 0; i--) {
      const c = conns[i]!;
      if (c.state !== State.Idle || c.origin !== ex.spec.origin) continue;
      if (c.socket.destroyed || !c.socket.writable) {
        this.drop(c);
        continue;
      }
      c.reused = true;
      c.ex = ex;
      ex.conn = c;
      this.send(c, ex);
      return;
    }
    resolve(target.host, (err, addrs) => {
      if (ex.finished) return;
      if (err) this.fail(ex, err, false);
      else this.dial(ex, target, addrs, 0);
    });
  }

  /** Connects to addrs[i]; a refused address moves on to the next one, as Go's dialer does. */
  private dial(ex: Exchange, target: Target, addrs: string[], i: number): void {
    const ip = addrs[i]!;
    const tcp = netConnect({ host: ip, port: target.port, noDelay: true });
    const c = target.tls
      ? new Conn(
          this,
          ex.spec.origin,
          tlsConnect({
            socket: tcp,
            servername: isIP(target.host) ? undefined : target.host,
            rejectUnauthorized: !this.insecure,
            ALPNProtocols: ['http/1.1'],
          }),
          this.limits,
          tcp,
        )
      : new Conn(this, ex.spec.origin, tcp, this.limits, null);
    c.addrs = addrs;
    c.addrIndex = i;
    c.ex = ex;
    ex.conn = c;
    ex.dialAt = performance.now();
    this.conns.push(c);
  }

  /** Writes the request on a connection that is ready. */
  send(c: Conn, ex: Exchange): void {
    c.state = State.Busy;
    c.parser.reset(ex.spec.method === 'HEAD', ex.spec.responseType !== 'none');
    const socket = c.socket;
    const body = ex.spec.body;
    ex.tConn = performance.now();
    ex.tFirst = 0;
    if (body === null) {
      socket.write(ex.head, 'utf8');
      ex.bytesSent = Buffer.byteLength(ex.head, 'utf8');
    } else if (typeof body === 'string') {
      const data = ex.head + body;
      socket.write(data, 'utf8');
      ex.bytesSent = Buffer.byteLength(data, 'utf8');
    } else if (body.byteLength <= JOIN_BODY_BYTES) {
      socket.cork();
      socket.write(ex.head, 'utf8');
      socket.write(body);
      socket.uncork();
      ex.bytesSent = Buffer.byteLength(ex.head, 'utf8') + body.byteLength;
    } else {
      socket.write(ex.head, 'utf8');
      socket.write(body);
      ex.bytesSent = Buffer.byteLength(ex.head, 'utf8') + body.byteLength;
    }
    ex.tSent = performance.now();
  }

  /** The response is whole: reply, then keep the connection for the next request or close it. */
  complete(c: Conn, ex: Exchange): void {
    const end = performance.now();
    const p = c.parser;
    this.finish(ex);
    if (p.keepAlive && !ex.closes && !this.noReuse && !c.socket.destroyed) {
      c.state = State.Idle;
      c.ex = null;
    } else this.drop(c);
    const tFirst = Math.max(ex.tFirst || end, ex.tSent);
    const sending = ex.tSent - ex.tConn;
    const waiting = tFirst - ex.tSent;
    const receiving = end - tFirst;
    let bytesSent = ex.bytesSent;
    let bytesReceived = p.bytesRead;
    const raw = c.raw;
    if (raw) {
      // https: the TCP bytes since the last response (TLS records, the handshake on a new connection).
      bytesSent = raw.bytesWritten - c.writeMark;
      bytesReceived = raw.bytesRead - c.readMark;
      c.writeMark = raw.bytesWritten;
      c.readMark = raw.bytesRead;
    }
    ex.reply({
      status: p.status,
      statusText: p.statusText,
      headers: p.headers,
      body: p.body(ex.spec.responseType),
      timings: {
        blocked: Math.max(0, ex.tConn - ex.t0 - ex.connecting - ex.tlsHandshaking),
        connecting: ex.connecting,
        tls_handshaking: ex.tlsHandshaking,
        sending,
        waiting,
        receiving,
        duration: sending + waiting + receiving,
      },
      error: '',
      errorCode: 0,
      bytesSent,
      bytesReceived,
      startedAt: ex.startedAt,
    });
  }

  /**
   * The request failed on its connection. A kept-alive connection the server had closed (nothing of
   * a response read) gets an idempotent request once more on another one, as Go's transport does.
   */
  fail(ex: Exchange, err: Error, stale: boolean): void {
    if (ex.finished) return;
    const c = ex.conn;
    const gotConn = c !== null && c.state === State.Busy;
    if (c) {
      ex.conn = null;
      this.drop(c);
      // A connect that failed with addresses left: the next one, as Go's dialer does.
      const code = (err as { code?: string }).code;
      if (!gotConn && code !== 'PERFKIT_TIMEOUT' && c.addrIndex + 1 < c.addrs.length) {
        ex.connecting += performance.now() - ex.dialAt;
        this.dial(ex, targetOf(ex.spec.origin), c.addrs, c.addrIndex + 1);
        return;
      }
    }
    if (stale && ex.attempt === 0 && IDEMPOTENT.has(ex.spec.method)) {
      ex.attempt = 1;
      ex.connecting = 0;
      ex.tlsHandshaking = 0;
      ex.tConn = 0;
      ex.tSent = 0;
      ex.bytesSent = 0;
      this.start(ex, targetOf(ex.spec.origin));
      return;
    }
    const tConn = gotConn ? ex.tConn : 0;
    this.finish(ex);
    ex.reply(failedReply(err, ex.startedAt, ex.t0, tConn, ex.tSent, ex.bytesSent));
  }

  private finish(ex: Exchange): void {
    ex.finished = true;
    if (ex.timer) {
      clearTimeout(ex.timer);
      ex.timer = null;
    }
  }

  /** Closes a connection and forgets it. */
  drop(c: Conn): void {
    if (c.state === State.Dead) return;
    c.state = State.Dead;
    c.ex = null;
    const i = this.conns.indexOf(c);
    if (i >= 0) this.conns.splice(i, 1);
    c.socket.destroy();
  }
}
