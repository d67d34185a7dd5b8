/**
 * Both HTTP transports (each VU's own sockets via the vu-socket addon, and the
 * main thread's shared pool) against real loopback servers: framing, failures,
 * k6 error codes, connection reuse, interrupts and no leaked sockets.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import { ToolkitError } from '../errors.ts';
import type { RunOutcome } from '../k6-core/index.ts';
import { runBuiltin } from './index.ts';
import { ensureVuSocketAddon } from './native/build.ts';

const FIX = join(import.meta.dirname, 'fixtures');
let server: Server;
let raw: NetServer;
let base = '';
let rawUrl = '';
let deadUrl = '';
let connections = 0;

beforeAll(async () => {
  server = createHttpServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/sized')
      return void res
        .writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 10 })
        .end(req.method === 'HEAD' ? undefined : 'sized body');
    if (url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('one,');
      res.write('two,');
      return void setTimeout(() => res.end('three'), 20);
    }
    if (url === '/big') return void res.end('a'.repeat(3 * 1024 * 1024 - 1) + 'z');
    if (url === '/empty') return void res.writeHead(204).end();
    if (url === '/hints') {
      res.writeEarlyHints({ link: '</app.js>; rel=preload; as=script' });
      return void res.end('after hints');
    }
    if (url === '/host') return void res.end(req.headers.host ?? '');
    if (url === '/slow') return void setTimeout(() => res.end('late'), 3000);
    if (url === '/hang') return; // never answers
    if (url === '/reset') return void req.socket.destroy();
    if (url === '/echo') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      return void req.on('end', () =>
        res.end(
          JSON.stringify({
            ...(body ? (JSON.parse(body) as object) : {}),
            length: req.headers['content-length'] ?? '',
          }),
        ),
      );
    }
    res.end('ok');
  });
  server.keepAliveTimeout = 200;
  server.on('connection', () => connections++);
  base = await listenLoopback(server);
  // HTTP/1.0-style answer with neither length nor chunking: the body ends when the server closes.
  raw = createNetServer((socket) => {
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close'));
  });
  rawUrl = await listenLoopback(raw);
  const dead = createNetServer();
  deadUrl = `${await listenLoopback(dead)}/`;
  await closeServer(dead);
});

afterAll(async () => {
  await closeServer(server);
  await closeServer(raw);
});

async function run(
  transport: 'vu' | 'shared',
  options: Record<string, unknown> = {},
  script = 'transport.js',
  extra: Record<string, string> = {},
): Promise<RunOutcome & { err: string }> {
  let err = '';
  const outcome = await runBuiltin({
    script: join(FIX, script),
    env: { BASE_URL: base, RAW_URL: rawUrl, DEAD_URL: deadUrl, ...extra },
    options,
    quiet: true,
    noSummary: true,
    httpTransport: transport,
    // The isolate model's transports (the shared VU model has its own client, shared/net-http.ts).
    vuModel: 'isolate',
    processEnv: process.env,
    stderr: { write: (s: string) => (err += s) },
  });
  return { ...outcome, err };
}

const checks = (o: RunOutcome): Array<[string, number, number]> =>
  (o.summary?.root_group.checks ?? []).map((c) => [c.name, c.passes, c.fails]);
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('HTTP transports', () => {
  it('the vu-socket addon builds here (a C compiler and Node headers are present)', async () => {
    const build = await ensureVuSocketAddon(process.env);
    expect(build.path, 'reason' in build ? build.reason : '').not.toBeNull();
  });

  for (const transport of ['vu', 'shared'] as const) {
    it(`${transport}: bodies, framing, HEAD/204/103, POST, Host, k6 error codes, stale keep-alive`, async () => {
      const o = await run(transport);
      expect(o.httpTransport).toBe(transport);
      expect(o.exitCode, o.err).toBe(0);
      const failed = checks(o).filter(([, , fails]) => fails > 0);
      expect(failed, o.err).toEqual([]);
      expect(checks(o)).toHaveLength(17);
    });
  }

  it('without a C compiler: auto falls back to the shared pool and says why once; vu asked for explicitly is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfkit-nocc-'));
    const processEnv = { PATH: process.env.PATH, PERFKIT_CACHE_DIR: dir, CC: join(dir, 'no-such-cc') };
    try {
      const runWith = async (httpTransport: 'auto' | 'vu'): Promise<RunOutcome & { err: string }> => {
        let err = '';
        const o = await runBuiltin({
          script: join(FIX, 'generic.js'),
          env: { BASE_URL: base, OPTIONS: '{"iterations":2}' },
          quiet: true,
          noSummary: true,
          httpTransport,
          // The isolate model's transports (the shared VU model has its own client, shared/net-http.ts).
          vuModel: 'isolate',
          processEnv,
          stderr: { write: (s: string) => (err += s) },
        });
        return { ...o, err };
      };
      const first = await runWith('auto');
      expect(first.exitCode, first.err).toBe(0);
      expect(first.httpTransport).toBe('shared');
      expect(first.err).toContain('per-VU sockets unavailable');
      expect(first.err).toContain('no-such-cc');
      expect(first.summary!.metrics.http_reqs!.values.count).toBe(2);
      expect((await runWith('auto')).err).not.toContain('per-VU sockets unavailable');
      const explicit = await runWith('vu').catch((e: unknown) => e);
      expect(explicit).toBeInstanceOf(ToolkitError);
      expect((explicit as ToolkitError).code).toBe('BUILD_FAILED');
      expect((explicit as ToolkitError).fix).toContain('--http-transport shared');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('vu: each VU keeps one connection alive across iterations; noConnectionReuse opens one per request', async () => {
    connections = 0;
    const kept = await run('vu', { vus: 3, iterations: 30 }, 'generic.js', {
      OPTIONS: JSON.stringify({ vus: 3, iterations: 30 }),
    });
    expect(kept.exitCode, kept.err).toBe(0);
    const requests = kept.summary!.metrics.http_reqs!.values.count!;
    expect(requests).toBeGreaterThanOrEqual(30);
    expect(connections).toBe(3);
    connections = 0;
    const fresh = await run('vu', {}, 'generic.js', {
      OPTIONS: JSON.stringify({ vus: 2, iterations: 10, noConnectionReuse: true }),
    });
    expect(fresh.exitCode, fresh.err).toBe(0);
    expect(connections).toBe(fresh.summary!.metrics.http_reqs!.values.count);
    // As Go with DisableKeepAlives, each request then says `Connection: close` (19 bytes more).
    const perRequest = (o: typeof kept): number =>
      o.summary!.metrics.data_sent!.values.count! / o.summary!.metrics.http_reqs!.values.count!;
    expect(perRequest(fresh) - perRequest(kept)).toBe(19);
  });

  it('vu: a graceful stop interrupts a VU waiting on a response, and no socket is left open', async () => {
    const before = openFds();
    const started = Date.now();
    const o = await run('vu', {}, 'hang.js', {
      OPTIONS: JSON.stringify({
        scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '500ms', gracefulStop: '300ms' } },
      }),
    });
    expect(o.exitCode, o.err).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(o.summary!.metrics.iterations?.values.count ?? 0).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(openFds()).toBeLessThanOrEqual(before);
  });
});
