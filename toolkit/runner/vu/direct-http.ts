/**
 * HTTP/1.1 over the VU's own keep-alive sockets (the vu-socket addon): the VU
 * thread writes the request and sleeps in the kernel until the answer arrives,
 * with no hand-off to another thread. Each VU owns its connections, as each
 * k6 VU does. Plain http only; https and batches go to the shared pool.
 *
 * The exchange itself (send, read, head, framing, chunked decoding) runs in C:
 * with tens of VU isolates, each running code V8 has not optimised yet, every
 * line of per-request JavaScript is paid many times over.
 */
import { Buffer } from 'node:buffer';
import { constants } from 'node:os';
import process from 'node:process';
import { failedReply, timeoutError } from '../http-errors.ts';
import { requestHead } from './go-header.ts';
import { CELL, type HttpReply, type HttpRequestSpec } from '../protocol.ts';
import { cells, InterruptedIteration } from './state.ts';
import { targetOf } from './http-target.ts';

/** The addon's calls: numbers ≥ 0 on success, -errno on failure. */
export interface VuSocketAddon {
  resolve(host: string): string[] | string;
  connect(ip: string, port: number, timeoutMs: number): number;
  idle(fd: number): number;
  close(fd: number): number;
  open(): number;
  init(
    out: Float64Array,
    cells: Int32Array,
    interruptIndex: number,
    maxHeadBytes?: number,
    maxBodyBytes?: number,
  ): number;
  exchange(fd: number, head: string, body: Uint8Array | null, noBody: number, timeoutMs: number): string | null;
  body(kind: number): string | ArrayBuffer | null;
}

export function loadVuSocketAddon(path: string): VuSocketAddon {
  const mod = { exports: {} as VuSocketAddon };
  process.dlopen(mod, path);
  return mod.exports;
}

const OUT = { status: 0, sending: 1, waiting: 2, receiving: 3, bytes: 4, keepAlive: 5, nothingRead: 6 } as const;
const BODY_KIND = { text: 0, binary: 1, none: 2 } as const;
const DNS_TTL_MS = 5 * 60_000;
const { ETIMEDOUT, ECANCELED, EMSGSIZE, EFBIG } = constants.errno;
const errnoNames = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

class NetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Failed before any byte of a response on a kept-alive connection: safe to retry once. */
    readonly stale = false,
  ) {
    super(message);
  }
}

/** An addon failure (-errno) as the error k6's codes are mapped from; `where` follows the errno name in the message. */
function sysError(rc: number, what: string, stale = false, where = ''): Error {
  if (-rc === ETIMEDOUT) return timeoutError();
  const name = errnoNames.get(-rc) ?? `errno ${-rc}`;
  return new NetError(name, `${what} ${name}${where}`, stale);
}

/** A per-VU HTTP/1.1 client. One instance per VU thread. */
export class DirectHttp {
  private readonly idle = new Map<string, number[]>();
  private readonly dns = new Map<string, { addrs: string[]; until: number }>();
  // Off-heap (shared) memory: the addon keeps pointers to both across calls.
  private readonly out = new Float64Array(new SharedArrayBuffer(8 * 8));
  /** options.noConnectionReuse: a new connection for every request. */
  noReuse = false;

  constructor(
    private readonly addon: VuSocketAddon,
    private readonly limits: { headBytes: number; bodyBytes: number },
  ) {
    if (addon.init(this.out, cells, CELL.interrupt, limits.headBytes, limits.bodyBytes) !== 0)
      throw new Error(`vu-socket: init refused the response limits ${JSON.stringify(limits)}`);
  }

  /** Closes every kept-alive connection (options.noVUConnectionReuse, between iterations). */
  closeIdle(): void {
    for (const fds of this.idle.values()) for (const fd of fds) this.addon.close(fd);
    this.idle.clear();
  }

  request(spec: HttpRequestSpec): HttpReply {
    const t0 = performance.now();
    const startedAt = Date.now();
    const target = targetOf(spec.origin);
    let head: string;
    let body: Uint8Array | null;
    try {
      body = spec.body === null ? null : typeof spec.body === 'string' ? Buffer.from(spec.body) : spec.body;
      head = requestHead(spec.method, spec.path, spec.headers, target.hostLine, body && body.byteLength, this.noReuse);
    } catch (err) {
      return failedReply(err as Error, startedAt, t0, 0, 0, 0);
    }
    const out = this.out;
    for (let attempt = 0; ; attempt++) {
      let fd = this.takeIdle(spec.origin);
      const reused = fd >= 0;
      let connecting = 0;
      let tConn = 0;
      try {
        if (!reused) {
          const addrs = this.lookup(target.host);
          const c0 = performance.now();
          fd = this.connect(addrs, target.port, t0 + spec.timeoutMs);
          connecting = performance.now() - c0;
        }
        tConn = performance.now();
        const left = Math.max(1, Math.ceil(t0 + spec.timeoutMs - tConn));
        const res = this.addon.exchange(fd, head, body, spec.method === 'HEAD' ? 1 : 0, left);
        if (res === null) {
          const rc = out[OUT.status]!;
          if (-rc === ECANCELED) throw new InterruptedIteration();
          if (-rc === EMSGSIZE || -rc === EFBIG) throw this.overLimit(-rc);
          throw sysError(rc, 'read', reused && out[OUT.nothingRead] === 1);
        }
        if (out[OUT.keepAlive] && !this.noReuse) this.putIdle(spec.origin, fd);
        else this.addon.close(fd);
        fd = -1;
        const nl = res.indexOf('\n');
        const sending = out[OUT.sending]!;
        const waiting = out[OUT.waiting]!;
        const receiving = out[OUT.receiving]!;
        return {
          status: out[OUT.status]!,
          statusText: res.slice(0, nl),
          headers: res.slice(nl + 1),
          body: this.addon.body(BODY_KIND[spec.responseType]),
          timings: {
            blocked: Math.max(0, tConn - t0 - connecting),
            connecting,
            tls_handshaking: 0,
            sending,
            waiting,
            receiving,
            duration: sending + waiting + receiving,
          },
          error: '',
          errorCode: 0,
          bytesSent: head.length + (body ? body.byteLength : 0),
          bytesReceived: out[OUT.bytes]!,
          startedAt,
        };
      } catch (err) {
        if (fd >= 0) this.addon.close(fd);
        if (err instanceof InterruptedIteration) throw err;
        // A kept-alive connection the server closed while idle: once more on a new one, as Go's transport does.
        if (attempt === 0 && err instanceof NetError && err.stale && IDEMPOTENT.has(spec.method)) continue;
        return failedReply(err as Error, startedAt, t0, tConn, tConn, head.length);
      }
    }
  }

  /** A response past a limit: Go's wording for heads (k6 reports it with error_code 1000), the same form for bodies. */
  private overLimit(errno: number): NetError {
    return errno === EMSGSIZE
      ? new NetError(
          'EMSGSIZE',
          `net/http: server response headers exceeded ${this.limits.headBytes} bytes; aborted (PERFKIT_MAX_RESPONSE_HEADER_BYTES raises the limit)`,
        )
      : new NetError(
          'EFBIG',
          `server response body exceeded ${this.limits.bodyBytes} bytes; aborted (PERFKIT_MAX_RESPONSE_BODY_BYTES raises the limit)`,
        );
  }

  private takeIdle(key: string): number {
    const fds = this.idle.get(key);
    while (fds !== undefined && fds.length > 0) {
      const fd = fds.pop()!;
      if (this.addon.idle(fd)) return fd;
      this.addon.close(fd);
    }
    return -1;
  }

  private putIdle(key: string, fd: number): void {
    const fds = this.idle.get(key);
    if (fds) fds.push(fd);
    else this.idle.set(key, [fd]);
  }

  private lookup(host: string): string[] {
    const cached = this.dns.get(host);
    if (cached && cached.until > Date.now()) return cached.addrs;
    const r = this.addon.resolve(host);
    if (typeof r === 'string' || r.length === 0)
      throw new NetError('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}${typeof r === 'string' ? ` (${r})` : ''}`);
    this.dns.set(host, { addrs: r, until: Date.now() + DNS_TTL_MS });
    return r;
  }

  /** Tries each address in turn, as a dialer does; the last failure wins. */
  private connect(addrs: string[], port: number, deadline: number): number {
    let last: Error = timeoutError();
    for (const ip of addrs) {
      const left = deadline - performance.now();
      if (left <= 0) throw timeoutError();
      const fd = this.addon.connect(ip, port, Math.ceil(left));
      if (fd >= 0) return fd;
      last = sysError(fd, 'connect', false, ` ${ip.includes(':') ? `[${ip}]` : ip}:${port}`);
    }
    throw last;
  }
}
