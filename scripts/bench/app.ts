#!/usr/bin/env -S npx tsx
/**
 * Benchmark of the reference app's dashboard, side by side in one run with
 * autocannon on loopback: warm cache vs cold (cache disabled), and warm
 * cache vs a bare node:http hello-world server. Ends with one JSON line.
 *
 *   npx tsx scripts/bench/app.ts [--duration 12] [--rounds 4] [--connections 32]
 * (duration is per target, split over interleaved rounds so all three see the same machine load)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { processEnvironment } from '../../toolkit/cli/config.ts';
import { main } from '../../toolkit/cli/io.ts';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { usageError } from '../../toolkit/errors.ts';
import { startStack } from '../../reference-app/rig/stack.ts';
import type { StackHandle } from '../../reference-app/rig/stack.ts';
import { freePort } from '../../toolkit/process/ports.ts';
import { seedDatabase, SEED_PASSWORD } from '../../reference-app/db/seed.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TARGETS = { warmVsCold: 5, warmVsHello: 0.35 };

interface Figures {
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon and keeps every latency so p95 is exact (autocannon itself reports p90 and p97.5). */
async function load(url: string, headers: Record<string, string>, duration: number, connections: number): Promise<Run> {
  const latencies: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, duration, connections, pipelining: 1 }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  return { latencies, requests: r.requests.total, seconds: r.duration, non2xx: r.non2xx, errors: r.errors };
}

interface Run {
  latencies: number[];
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
}

/** Figures over several interleaved rounds, so every target sees the same mix of machine load. */
function figures(runs: Run[]): Figures {
  const lat = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const q = (p: number): number =>
    Number((lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)] ?? 0).toFixed(2));
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return {
    rps: Math.round(requests / seconds),
    p50Ms: q(0.5),
    p95Ms: q(0.95),
    p99Ms: q(0.99),
    requests,
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

async function helloServer(): Promise<{ url: string; stop(): Promise<void> }> {
  // In its own process like the app, so neither shares an event loop with autocannon.
  const port = await freePort();
  const code = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/plain' }); s.end('hello world'); }).listen(${port}, '127.0.0.1', () => console.log('ready'));`;
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`hello server exited ${c}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: async () => void child.kill('SIGTERM') };
}

async function startApp(
  stack: StackHandle,
  name: string,
  extraEnv: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await stack.spawnManaged({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(ROOT, 'scripts/app.ts'), '--port', String(port)],
    cwd: ROOT,
    env: {
      PATH: processEnvironment()['PATH'],
      DATABASE_URL: stack.urls.primary,
      DATABASE_REPLICA_URL: stack.urls.replica,
      REDIS_URL: stack.urls.redis,
      LOG_LEVEL: 'warn',
      UPSTREAM_URL: 'http://127.0.0.1:9',
      ...extraEnv,
    },
    readyUrl: `${url}/healthz`,
    logFile: join(stack.dir ?? join(ROOT, '.stack'), `bench-${name}.log`),
  });
  return { url, stop: () => proc.stop() };
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@business-1.example', password: SEED_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`bench login failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

interface Target {
  name: 'warm' | 'cold' | 'hello';
  url: string;
  headers: Record<string, string>;
}

/** Warms every target, then runs `rounds` interleaved rounds so all three see the same mix of machine load. */
async function measure(
  targets: Target[],
  opts: { duration: number; rounds: number; connections: number },
  say: (l: string) => void,
): Promise<Record<Target['name'], Figures>> {
  say('warming up (JIT, pools, cache)…');
  for (const t of targets) await load(t.url, t.headers, 2, opts.connections);
  const runs: Record<Target['name'], Run[]> = { warm: [], cold: [], hello: [] };
  const slice = Math.max(1, Math.round(opts.duration / opts.rounds));
  say(`measuring ${opts.rounds} interleaved rounds of ${slice} s per target, ${opts.connections} connections…`);
  for (let i = 0; i < opts.rounds; i += 1)
    for (const t of targets) runs[t.name].push(await load(t.url, t.headers, slice, opts.connections));
  return { warm: figures(runs.warm), cold: figures(runs.cold), hello: figures(runs.hello) };
}

function options(argv: string[]): { duration: number; rounds: number; connections: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '12' },
      rounds: { type: 'string', default: '4' },
      connections: { type: 'string', default: '32' },
      debug: { type: 'boolean' },
    },
  });
  const n = (flag: string, v: string, max: number): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1 || x > max) throw usageError(`--${flag} must be an integer 1..${max}, got ${v}`);
    return x;
  };
  return {
    duration: n('duration', values.duration, 120),
    rounds: n('rounds', values.rounds, 20),
    connections: n('connections', values.connections, 256),
  };
}

export async function run(io: CliIo): Promise<number> {
  const opts = options(io.argv);
  const say = (l: string): void => void io.stderr.write(`${l}\n`);
  const stack = await startStack({ name: `bench-app-${process.pid}`, cwd: ROOT, env: io.env, log: say });
  try {
    await seedDatabase({ url: stack.urls.primary, replicaUrl: stack.urls.replica, scale: 'small', seed: 42 });
    const warmApp = await startApp(stack, 'warm', {});
    const coldApp = await startApp(stack, 'cold', { CACHE_ENABLED: 'false' });
    const hello = await helloServer();
    try {
      // As a browser sends it: the cached entry keeps its compressed variants, so compression costs nothing per hit.
      const browser = { 'accept-encoding': 'gzip, deflate, br' };
      const f = await measure(
        [
          {
            name: 'warm',
            url: `${warmApp.url}/api/dashboard`,
            headers: { ...browser, cookie: await login(warmApp.url) },
          },
          {
            name: 'cold',
            url: `${coldApp.url}/api/dashboard`,
            headers: { ...browser, cookie: await login(coldApp.url) },
          },
          { name: 'hello', url: hello.url, headers: browser },
        ],
        opts,
        say,
      );
      say(`dashboard, warm cache: ${f.warm.rps} req/s, p95 ${f.warm.p95Ms} ms`);
      say(`dashboard, cache off:  ${f.cold.rps} req/s, p95 ${f.cold.p95Ms} ms`);
      say(`node:http hello world: ${f.hello.rps} req/s, p95 ${f.hello.p95Ms} ms`);
      const ratios = {
        warmVsCold: Number((f.warm.rps / Math.max(1, f.cold.rps)).toFixed(2)),
        warmVsHello: Number((f.warm.rps / Math.max(1, f.hello.rps)).toFixed(3)),
      };
      const valid = [f.warm, f.cold, f.hello].every((x) => x.non2xx === 0 && x.errors === 0);
      const pass = valid && ratios.warmVsCold >= TARGETS.warmVsCold && ratios.warmVsHello >= TARGETS.warmVsHello;
      say(
        `warm/cold ${ratios.warmVsCold}x (target >= ${TARGETS.warmVsCold}x), warm/hello ${ratios.warmVsHello}x (target >= ${TARGETS.warmVsHello}x): ${pass ? 'PASS' : valid ? 'MISS' : 'INVALID (errors or non-2xx answers)'}`,
      );
      io.stdout.write(
        JSON.stringify({
          bench: 'app-dashboard',
          ...opts,
          warm: f.warm,
          cold: f.cold,
          hello: f.hello,
          ratios,
          targets: TARGETS,
          valid,
          pass,
        }) + '\n',
      );
      return valid ? 0 : 2;
    } finally {
      await Promise.allSettled([warmApp.stop(), coldApp.stop(), hello.stop()]);
    }
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run);
