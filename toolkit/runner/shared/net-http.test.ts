/**
 * The shared model's HTTP/1.1 client against real loopback servers: raw node:net ones that record
 * the bytes they receive and write answers byte for byte (framing, limits, stale connections), and
 * node:http for keep-alive and timeouts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { K6_HTTP_ERROR_CODE } from '../../k6-core/http-errors.ts';
import { runBuiltin } from '../index.ts';
import type { HttpReply, HttpRequestSpec } from '../protocol.ts';
import { NetHttp } from './net-http.ts';

const LIMITS = { headBytes: 10 * 1024 * 1024, bodyBytes: 64 * 1024 * 1024 };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Raw {
  origin: string;
  /** Everything received, per connection, in order. */
  received: string[];
  sockets: Socket[];
}

/**
 * A raw server: `answer(request, index, socket)` is called for each request head it reads (bodies
 * are told apart by Content-Length) and writes whatever it likes.
 */
async function rawServer(answer: (head: string, n: number, socket: Socket) => void): Promise<Raw> {
  const raw: Raw = { origin: '', received: [], sockets: [] };
  let n = 0;
  const server: Server = createServer((socket) => {
    const conn = raw.received.push('') - 1;
    raw.sockets.push(socket);
    socket.on('error', () => undefined);
    let buf = '';
    socket.on('data', (d) => {
      raw.received[conn] += d.toString('latin1');
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.slice(0, end + 4);
        const len = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        buf = buf.slice(end + 4 + len);
        answer(head, n++, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  raw.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of raw.sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return raw;
}

function pool(limits = LIMITS): NetHttp {
  const p = new NetHttp(limits);
  cleanups.push(() => p.close());
  return p;
}

function spec(origin: string, over: Partial<HttpRequestSpec> = {}): HttpRequestSpec {
  const path = over.path ?? '/';
  return {
    method: 'GET',
    url: origin + path,
    origin,
    path,
    headers: [['User-Agent', 'Grafana k6/2.2.0']],
    body: null,
    timeoutMs: 5000,
    responseType: 'text',
    ...over,
  };
}

const request = (p: NetHttp, s: HttpRequestSpec): Promise<HttpReply> => new Promise((r) => p.execute(s, r));

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('NetHttp', () => {
  it("writes Go's head byte for byte and counts data_sent / data_received as the bytes on the wire", async () => {
    const answer = 'HTTP/1.1 201 Created\r\nX-A:  padded \r\nContent-Length: 5\r\n\r\nhello';
    const raw = await rawServer((_h, _n, s) => s.write(answer));
    const p = pool();
    const body = 'a=1&é=2';
    const r = await request(
      p,
      spec(raw.origin, {
        method: 'POST',
        path: '/x?y=1',
        headers: [
          ['User-Agent', 'Grafana k6/2.2.0'],
          ['Content-Length', String(Buffer.byteLength(body))],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        body,
      }),
    );
    const host = raw.origin.slice('http://'.length);
    const expected =
      `POST /x?y=1 HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: Grafana k6/2.2.0\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\n\r\n`;
    expect(raw.received[0]).toBe(expected + Buffer.from(body).toString('latin1'));
    expect(r.error).toBe('');
    expect(r.status).toBe(201);
    expect(r.statusText).toBe('Created');
    expect(r.headers).toBe('X-A: padded\nContent-Length: 5\n');
    expect(r.body).toBe('hello');
    expect(r.bytesSent).toBe(Buffer.byteLength(expected) + Buffer.byteLength(body));
    expect(r.bytesReceived).toBe(answer.length);
    const t = r.timings;
    expect(t.duration).toBeCloseTo(t.sending + t.waiting + t.receiving, 6);
    expect(t.connecting).toBeGreaterThan(0);
  });

  it('keeps one connection alive across requests and counts only each response', async () => {
    const raw = await rawServer((_h, _n, s) => s.write(OK));
    const p = pool();
    for (let i = 0; i < 5; i++) {
      const r = await request(p, spec(raw.origin));
      expect(r.body).toBe('ok');
      expect(r.bytesReceived).toBe(OK.length);
      if (i > 0) expect(r.timings.connecting).toBe(0);
    }
    expect(raw.received.length).toBe(1);
    expect(p.size).toBe(1);
  });

  it('reads chunked bodies cut anywhere, with extensions and trailers, counting the framing', async () => {
    const answer =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-T: 1\r\n\r\n';
    const raw = await rawServer((_h, _n, s) => {
      // One byte per write, each after the last has gone out.
      let i = 0;
      const next = (): void => {
        if (i < answer.length) s.write(answer[i++]!, () => setImmediate(next));
      };
      next();
    });
    const p = pool();
    const r = await request(p, spec(raw.origin));
    expect(r.error).toBe('');
    expect(r.body).toBe('hello world');
    expect(r.bytesReceived).toBe(answer.length);
    const again = await request(p, spec(raw.origin));
    expect(again.body).toBe('hello world');
    expect(raw.received.length).toBe(1);
  });

  it('reads a body without length to the end of the stream and does not reuse that connection', async () => {
    const answer = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n' + 'z'.repeat(200_000);
    const raw = await rawServer((_h, _n, s) => s.end(answer));
    const p = pool();
    const r = await request(p, spec(raw.origin, { responseType: 'binary' }));
    expect(r.error).toBe('');
    expect(r.body).toBeInstanceOf(ArrayBuffer);
    expect((r.body as ArrayBuffer).byteLength).toBe(200_000);
    expect(r.bytesReceived).toBe(answer.length);
    expect(p.size).toBe(0);
    await request(p, spec(raw.origin));
    expect(raw.received.length).toBe(2);
  });

  it('skips 1xx answers, reads no body for HEAD, 204 and 304, and honours Connection: close', async () => {
    const answers = [
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n' + OK,
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n',
      'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n',
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok',
      OK,
    ];
    const raw = await rawServer((_h, n, s) => s.write(answers[n]!));
    const p = pool();
    const first = await request(p, spec(raw.origin));
    expect([first.status, first.body, first.bytesReceived]).toEqual([200, 'ok', answers[0]!.length]);
    const head = await request(p, spec(raw.origin, { method: 'HEAD' }));
    expect([head.status, head.body, head.bytesReceived]).toEqual([200, '', answers[1]!.length]);
    for (const status of [204, 304]) expect((await request(p, spec(raw.origin))).status).toBe(status);
    expect(raw.received.length).toBe(1);
    const closing = await request(p, spec(raw.origin));
    expect(closing.body).toBe('ok');
    expect(p.size).toBe(0);
    await request(p, spec(raw.origin));
    expect(raw.received.length).toBe(2);
  });

  it('sends an idempotent request once more when its kept-alive connection turns out closed, not a POST', async () => {
    // The 2nd and 4th requests each meet a connection the server drops without answering.
    const raw = await rawServer((_h, n, s) => (n === 1 || n === 4 ? s.destroy() : s.write(OK)));
    const p = pool();
    expect((await request(p, spec(raw.origin))).body).toBe('ok');
    const retried = await request(p, spec(raw.origin));
    expect(retried.error).toBe('');
    expect(retried.body).toBe('ok');
    expect(raw.received.length).toBe(2);
    expect((await request(p, spec(raw.origin))).body).toBe('ok');
    const post = await request(p, spec(raw.origin, { method: 'POST', body: 'x' }));
    expect(post.status).toBe(0);
    expect(post.errorCode).toBe(K6_HTTP_ERROR_CODE.connectionReset);
  });

  it('drops a kept-alive connection the server closed while idle, before reusing it', async () => {
    const raw = await rawServer((_h, _n, s) => s.end(OK.replace('\r\n\r\n', '\r\nConnection: keep-alive\r\n\r\n')));
    const p = pool();
    expect((await request(p, spec(raw.origin))).body).toBe('ok');
    await new Promise((r) => setTimeout(r, 50));
    expect(p.size).toBe(0);
    const r = await request(p, spec(raw.origin));
    expect(r.body).toBe('ok');
    expect(r.timings.connecting).toBeGreaterThan(0);
  });

  it('times out with k6 error 1050 at the request timeout and closes that connection', async () => {
    const raw = await rawServer(() => undefined);
    const p = pool();
    const t0 = performance.now();
    const r = await request(p, spec(raw.origin, { timeoutMs: 200 }));
    const took = performance.now() - t0;
    expect(r.errorCode).toBe(K6_HTTP_ERROR_CODE.requestTimeout);
    expect(r.error).toBe('request timeout');
    expect(took).toBeGreaterThanOrEqual(195);
    expect(took).toBeLessThan(1000);
    expect(p.size).toBe(0);
  });

  it('fails a response past the head or body limit with error 1000 naming the setting', async () => {
    const answers = [
      `HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(2000)}\r\nContent-Length: 0\r\n\r\n`,
      `HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n${'b'.repeat(5000)}`,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'400\r\n' + 'c'.repeat(0x400) + '\r\n'}`.repeat(1) +
        `${'400\r\n' + 'c'.repeat(0x400) + '\r\n'}`.repeat(4) +
        '0\r\n\r\n',
      `HTTP/1.1 200 OK\r\n\r\n${'e'.repeat(5000)}`,
    ];
    const raw = await rawServer((_h, n, s) => s.end(answers[n]!));
    const p = pool({ headBytes: 1000, bodyBytes: 4000 });
    const head = await request(p, spec(raw.origin));
    expect(head.errorCode).toBe(K6_HTTP_ERROR_CODE.generic);
    expect(head.error).toContain('server response headers exceeded 1000 bytes');
    expect(head.error).toContain('PERFKIT_MAX_RESPONSE_HEADER_BYTES');
    for (let i = 0; i < 3; i++) {
      const body = await request(p, spec(raw.origin));
      expect(body.errorCode).toBe(K6_HTTP_ERROR_CODE.generic);
      expect(body.error).toContain('server response body exceeded 4000 bytes');
    }
  });

  it('refused connections get k6 error 1212, unknown hosts 1101; noConnectionReuse adds Connection: close and a connection per request', async () => {
    const closed = await rawServer(() => undefined);
    const refusedOrigin = closed.origin;
    await cleanups.pop()!();
    const p = pool();
    const refused = await request(p, spec(refusedOrigin));
    expect(refused.errorCode).toBe(K6_HTTP_ERROR_CODE.connectionRefused);
    // .invalid never resolves (RFC 6761).
    const unknown = await request(p, spec('http://no-such-host.invalid'));
    expect(unknown.errorCode).toBe(K6_HTTP_ERROR_CODE.dnsNoSuchHost);
    expect(unknown.error).toContain('no-such-host.invalid');
    const raw = await rawServer((_h, _n, s) => s.write(OK));
    p.noReuse = true;
    for (let i = 0; i < 3; i++) expect((await request(p, spec(raw.origin))).body).toBe('ok');
    expect(raw.received.length).toBe(3);
    expect(raw.received[0]).toMatch(/User-Agent: Grafana k6\/2\.2\.0\r\nConnection: close\r\n\r\n$/);
  });

  it('runs parallel requests on extra connections of the pool; abort() ends them and closes their sockets', async () => {
    const raw = await rawServer((h, _n, s) => {
      if (!h.startsWith('GET /hang')) s.write(OK);
    });
    const p = pool();
    const rs = await Promise.all([1, 2, 3].map(() => request(p, spec(raw.origin))));
    expect(rs.map((r) => r.body)).toEqual(['ok', 'ok', 'ok']);
    expect(p.size).toBe(3);
    let replied = false;
    p.execute(spec(raw.origin, { path: '/hang' }), () => (replied = true));
    await new Promise((r) => setTimeout(r, 30));
    p.abort();
    await new Promise((r) => setTimeout(r, 30));
    expect(replied).toBe(false);
    expect(p.size).toBe(2);
    expect(raw.sockets.filter((s) => s.destroyed || s.readableEnded).length).toBe(1);
  });

  it('works against node:http: keep-alive, responseType none, a 100 KB body', async () => {
    let connections = 0;
    const server: HttpServer = createHttpServer((req, res) => res.end(req.url === '/big' ? 'q'.repeat(100_000) : 'hi'));
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    cleanups.push(() => void server.closeAllConnections());
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const p = pool();
    const big = await request(p, spec(origin, { path: '/big' }));
    expect((big.body as string).length).toBe(100_000);
    const none = await request(p, spec(origin, { responseType: 'none' }));
    expect(none.status).toBe(200);
    expect(none.body).toBeNull();
    expect(none.bytesReceived).toBeGreaterThan(2);
    expect(connections).toBe(1);
  });

  it('https: insecureSkipTLSVerify, tls_handshaking on a new connection only, TCP bytes counted; a self-signed certificate refused otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'net-http-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => res.end(`secure ${req.headers.host}`),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    cleanups.push(() => void server.closeAllConnections());
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const p = pool();
    const refused = await request(p, spec(origin));
    expect(refused.status).toBe(0);
    expect(refused.error).toMatch(/self.signed/i);
    p.insecure = true;
    const first = await request(p, spec(origin));
    expect(first.error).toBe('');
    expect(first.body).toBe(`secure ${origin.slice('https://'.length)}`);
    expect(first.timings.tls_handshaking).toBeGreaterThan(0);
    // The handshake's bytes and the TLS records: more than the plain request and response.
    expect(first.bytesSent).toBeGreaterThan(300);
    expect(first.bytesReceived).toBeGreaterThan(1000);
    const second = await request(p, spec(origin));
    expect(second.body).toBe(first.body);
    expect(second.timings.tls_handshaking).toBe(0);
    expect(second.timings.connecting).toBe(0);
    expect(p.size).toBe(1);
  });

  it('on the shared VU model, a graceful stop ends requests waiting on an answer and no socket stays open', async () => {
    const raw = await rawServer(() => undefined);
    const started = Date.now();
    let err = '';
    const o = await runBuiltin({
      script: join(import.meta.dirname, '../fixtures/hang.js'),
      env: {
        BASE_URL: raw.origin,
        OPTIONS: JSON.stringify({
          scenarios: { s: { executor: 'constant-vus', vus: 3, duration: '500ms', gracefulStop: '300ms' } },
        }),
      },
      vuModel: 'shared',
      quiet: true,
      processEnv: process.env,
      stderr: { write: (t: string) => (err += t) },
    });
    expect(o.exitCode, err).toBe(0);
    expect(o.vuModel).toBe('shared');
    expect(Date.now() - started).toBeLessThan(8000);
    expect(o.summary!.metrics.iterations?.values.count ?? 0).toBe(0);
    expect(raw.sockets.length).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(raw.sockets.every((s) => s.readableEnded || s.destroyed)).toBe(true);
  });
});
