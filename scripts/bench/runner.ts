#!/usr/bin/env -S npx tsx
/**
 * Benchmark of the built-in runner against autocannon (and real k6 when
 * installed) on one loopback node:http server in its own process, interleaved
 * in one run. Figures: req/s at 50 VUs vs 50 connections, RSS per VU at 200
 * VUs, and timing overhead (p50 http_req_duration at 1 VU minus the server's
 * own p50 handling time). Ends with one JSON line.
 *
 *   npx tsx scripts/bench/runner.ts [--seconds 4] [--rounds 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { main, type CliIo } from '../../toolkit/cli/io.ts';
import { runScript } from '../../toolkit/engines.ts';
import { findK6 } from '../../toolkit/k6/index.ts';

const TARGETS = { builtinVsAutocannon: 0.3, rssPerVuMb: 10, overheadMs: 0.5 };

// The server times its own handling (request event → response finished) so the runner's overhead can be isolated.
const SERVER = `
const http = require('node:http');
const times = [];
const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    const s = times.splice(0).sort((a, b) => a - b);
    res.end(JSON.stringify({ p50: s[Math.floor(s.length / 2)] ?? 0, n: s.length }));
    return;
  }
  const t0 = process.hrtime.bigint();
  res.on('finish', () => times.push(Number(process.hrtime.bigint() - t0) / 1e6));
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello world');
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (c) => reject(new Error(`bench server exited ${c}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, child };
}

async function serverP50(url: string): Promise<number> {
  const r = await fetch(new URL('/stats', url));
  return ((await r.json()) as { p50: number }).p50;
}

/** CPU of this process per request, µs: steadier than req/s on a shared, noisy machine. */
function cpuPerRequest(since: NodeJS.CpuUsage, requests: number): number {
  const c = process.cpuUsage(since);
  return requests > 0 ? (c.user + c.system) / requests : 0;
}

async function autocannonRun(
  url: string,
  connections: number,
  seconds: number,
): Promise<{ rps: number; cpuUs: number }> {
  const c0 = process.cpuUsage();
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return { rps: r.requests.total / r.duration, cpuUs: cpuPerRequest(c0, r.requests.total) };
}

interface RunnerFigures {
  rps: number;
  /** Includes start-up and summary, so slightly pessimistic. */
  cpuUs: number;
  p50Ms: number;
  peakRssMb: number;
}

async function runnerRun(
  script: string,
  url: string,
  vus: number,
  seconds: number,
  engine: 'builtin' | 'k6',
  k6Bin?: string,
  httpTransport: 'auto' | 'shared' = 'auto',
): Promise<RunnerFigures & { transport: string }> {
  let peak = process.memoryUsage().rss;
  let c0: NodeJS.CpuUsage | null = null;
  const out = await runScript({
    script,
    engine,
    k6Bin,
    httpTransport,
    env: { URL: url },
    options: { vus, duration: `${seconds}s`, summaryTrendStats: ['med'] },
    quiet: true,
    noSummary: true,
    onProgress: () => {
      // The first progress tick is the test clock's start: VU start-up is not counted.
      c0 ??= process.cpuUsage();
      peak = Math.max(peak, process.memoryUsage().rss);
    },
  });
  const m = out.summary?.metrics;
  const requests = m?.http_reqs?.values.count ?? 0;
  return {
    transport: out.httpTransport ?? 'k6',
    rps: requests / (out.durationMs / 1000),
    cpuUs: c0 ? cpuPerRequest(c0, requests) : 0,
    p50Ms: m?.http_req_duration?.values.med ?? 0,
    peakRssMb: peak / 2 ** 20,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const r2 = (x: number): number => Math.round(x * 100) / 100;

export async function runRunnerBench(io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: io.argv,
    options: { seconds: { type: 'string', default: '4' }, rounds: { type: 'string', default: '3' } },
  });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const dir = await mkdtemp(join(tmpdir(), 'perfkit-bench-'));
  const loop = join(dir, 'loop.js');
  const idle = join(dir, 'idle.js');
  await writeFile(loop, "import http from 'k6/http';\nexport default function () { http.get(__ENV.URL); }\n");
  await writeFile(
    idle,
    "import http from 'k6/http';\nimport { sleep } from 'k6';\nexport default function () { http.get(__ENV.URL); sleep(1); }\n",
  );
  const { url, child } = await startServer();
  const k6Bin = findK6({ processEnv: io.env }) ?? undefined;
  const log = (s: string): void => void io.stderr.write(s + '\n');
  try {
    const ac: number[] = [];
    const builtin: number[] = [];
    const k6: number[] = [];
    const shared: number[] = [];
    let transport = '';
    const acCpu: number[] = [];
    const builtinCpu: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const a = await autocannonRun(url, 50, seconds);
      ac.push(a.rps);
      acCpu.push(a.cpuUs);
      const b = await runnerRun(loop, url, 50, seconds, 'builtin');
      builtin.push(b.rps);
      builtinCpu.push(b.cpuUs);
      transport = b.transport;
      // The shared pool for comparison (what runs when the vu-socket addon cannot be built).
      if (b.transport === 'vu')
        shared.push((await runnerRun(loop, url, 50, seconds, 'builtin', undefined, 'shared')).rps);
      if (k6Bin) k6.push((await runnerRun(loop, url, 50, seconds, 'k6', k6Bin)).rps);
      log(
        `round ${i + 1}: autocannon ${Math.round(ac[i]!)} req/s, builtin (${transport}) ${Math.round(builtin[i]!)} req/s` +
          `${shared.length ? `, builtin (shared) ${Math.round(shared[i]!)} req/s` : ''}${k6Bin ? `, k6 ${Math.round(k6[i]!)} req/s` : ''}`,
      );
    }
    await serverP50(url);
    const one = await runnerRun(loop, url, 1, 3, 'builtin');
    const handling = await serverP50(url);
    const baseRss = process.memoryUsage().rss / 2 ** 20;
    const big = await runnerRun(idle, url, 200, 4, 'builtin');
    const rssPerVuMb = (big.peakRssMb - baseRss) / 200;
    const figures = {
      httpTransport: transport,
      autocannonRps: Math.round(median(ac)),
      builtinRps: Math.round(median(builtin)),
      builtinSharedPoolRps: shared.length ? Math.round(median(shared)) : null,
      k6Rps: k6Bin ? Math.round(median(k6)) : null,
      // Ratios per round (the two ran back to back) then their median: the box's load drifts between rounds.
      builtinVsAutocannon: r2(median(builtin.map((b, i) => b / ac[i]!))),
      builtinSharedPoolVsAutocannon: shared.length ? r2(median(shared.map((b, i) => b / ac[i]!))) : null,
      builtinVsK6: k6Bin ? r2(median(builtin.map((b, i) => b / k6[i]!))) : null,
      cpuUsPerRequestAutocannon: Math.round(median(acCpu)),
      cpuUsPerRequestBuiltin: Math.round(median(builtinCpu)),
      rssPerVuMb: r2(rssPerVuMb),
      p50DurationAt1VuMs: r2(one.p50Ms),
      serverHandlingP50Ms: r2(handling),
      overheadMs: r2(one.p50Ms - handling),
    };
    const pass = {
      builtinVsAutocannon: figures.builtinVsAutocannon >= TARGETS.builtinVsAutocannon,
      rssPerVuMb: figures.rssPerVuMb <= TARGETS.rssPerVuMb,
      overheadMs: figures.overheadMs <= TARGETS.overheadMs,
    };
    io.stdout.write(JSON.stringify({ bench: 'runner', seconds, rounds, figures, targets: TARGETS, pass }) + '\n');
    return 0;
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(runRunnerBench);
