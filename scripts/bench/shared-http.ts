#!/usr/bin/env -S npx tsx
/**
 * The shared VU model's HTTP client on its own: 50 "VUs" in this one thread, each sending a GET and
 * awaiting its answer in a loop against one loopback node:http server in its own process, on
 * net-http.ts (one NetHttp per VU, as the shared model runs now) and on undici (one HttpIo per VU,
 * as it ran before), interleaved round by round. Figures: req/s and this process's CPU µs per request
 * (steadier than req/s on a shared machine), per round, then the medians. Ends with one JSON line.
 *
 *   npx tsx scripts/bench/shared-http.ts [--seconds 3] [--rounds 3] [--vus 50]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { HttpIo } from '../../toolkit/runner/http-io.ts';
import type { HttpReply, HttpRequestSpec, WireRequest } from '../../toolkit/runner/protocol.ts';
import { NetHttp } from '../../toolkit/runner/shared/net-http.ts';

const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello world');
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

type Client = { execute(done: (r: HttpReply) => void): void; close(): void };

function netClient(origin: string): Client {
  const io = new NetHttp({ headBytes: 10 << 20, bodyBytes: 64 << 20 });
  const spec: HttpRequestSpec = {
    method: 'GET',
    url: `${origin}/`,
    origin,
    path: '/',
    headers: [['User-Agent', 'Grafana k6/2.2.0']],
    body: null,
    timeoutMs: 60_000,
    responseType: 'text',
  };
  return { execute: (done) => io.execute(spec, done), close: () => io.close() };
}

function undiciClient(origin: string): Client {
  const io = new HttpIo();
  const spec: WireRequest = {
    method: 'GET',
    origin,
    path: '/',
    headers: ['User-Agent', 'Grafana k6/2.2.0'],
    body: null,
    timeoutMs: 60_000,
    responseType: 'text',
  };
  return { execute: (done) => io.execute(spec, done), close: () => void io.close() };
}

async function round(
  make: (origin: string) => Client,
  origin: string,
  vus: number,
  seconds: number,
): Promise<{ rps: number; cpuUsPerRequest: number; errors: number }> {
  const clients = Array.from({ length: vus }, () => make(origin));
  let requests = 0;
  let errors = 0;
  let stop = false;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all([
    ...clients.map(
      (c) =>
        new Promise<void>((resolve) => {
          const next = (r?: HttpReply): void => {
            if (r) {
              requests++;
              if (r.status !== 200) errors++;
            }
            if (stop) resolve();
            else c.execute(next);
          };
          next();
        }),
    ),
    new Promise<void>((r) => setTimeout(r, seconds * 1000)).then(() => {
      stop = true;
    }),
  ]);
  const took = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  for (const c of clients) c.close();
  return {
    rps: Math.round(requests / took),
    cpuUsPerRequest: +((cpu.user + cpu.system) / requests).toFixed(1),
    errors,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '3' },
      vus: { type: 'string', default: '50' },
    },
  });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const vus = Number(values.vus);
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
    );
    const origin = `http://127.0.0.1:${port}`;
    const net: Array<Awaited<ReturnType<typeof round>>> = [];
    const undici: Array<Awaited<ReturnType<typeof round>>> = [];
    await round(netClient, origin, vus, 1); // warm-up of both
    await round(undiciClient, origin, vus, 1);
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? ['net', 'undici'] : ['undici', 'net'];
      for (const which of order) {
        const r =
          which === 'net'
            ? await round(netClient, origin, vus, seconds)
            : await round(undiciClient, origin, vus, seconds);
        (which === 'net' ? net : undici).push(r);
        console.log(`round ${i + 1}: ${which} ${r.rps} req/s, ${r.cpuUsPerRequest} µs CPU/request, ${r.errors} errors`);
      }
    }
    const figures = {
      netRps: net.map((r) => r.rps),
      undiciRps: undici.map((r) => r.rps),
      netCpuUsPerRequest: net.map((r) => r.cpuUsPerRequest),
      undiciCpuUsPerRequest: undici.map((r) => r.cpuUsPerRequest),
      medianNetVsUndiciRps: +(median(net.map((r) => r.rps)) / median(undici.map((r) => r.rps))).toFixed(2),
      medianNetVsUndiciCpu: +(
        median(net.map((r) => r.cpuUsPerRequest)) / median(undici.map((r) => r.cpuUsPerRequest))
      ).toFixed(2),
    };
    console.log(JSON.stringify({ bench: 'shared-http', seconds, rounds, vus, figures }));
  } finally {
    child.kill();
  }
}

await run();
