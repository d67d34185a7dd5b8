import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a third-party exchange-rates API, run as its own process.
 * Latency and failure rate are configurable, and POST /admin/state flips it
 * down or up so tests can watch the app serve stale data.
 */
export interface UpstreamState {
  down: boolean;
  latencyMs: number;
  failureRate: number;
  requests: number;
}

export interface UpstreamHandle {
  url: string;
  port: number;
  state: UpstreamState;
  stop(): Promise<void>;
}

const CURRENCIES = ['EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK'];
const BASE_RATES = [0.92, 0.79, 151.2, 0.88, 1.36, 1.52, 10.6, 10.8];

function rates(now: number): Record<string, number> {
  // Drifts slowly with time so each refresh is visibly new data.
  const drift = Math.sin(now / 60_000) * 0.01;
  return Object.fromEntries(CURRENCIES.map((c, i) => [c, Number(((BASE_RATES[i] ?? 1) * (1 + drift)).toFixed(6))]));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16_384) throw new Error('body too large');
    chunks.push(c as Buffer);
  }
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
}

async function handle(state: UpstreamState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://upstream');
  if (url.pathname === '/admin/state') {
    if (req.method === 'POST') {
      const b = (await readBody(req)) as Partial<UpstreamState>;
      if (typeof b.down === 'boolean') state.down = b.down;
      if (typeof b.latencyMs === 'number' && b.latencyMs >= 0) state.latencyMs = b.latencyMs;
      if (typeof b.failureRate === 'number' && b.failureRate >= 0 && b.failureRate <= 1)
        state.failureRate = b.failureRate;
    }
    return send(res, 200, state);
  }
  if (url.pathname === '/healthz') return send(res, 200, { ok: true });
  if (url.pathname !== '/rates' || req.method !== 'GET') return send(res, 404, { error: 'not found' });
  state.requests += 1;
  if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
  if (state.down || Math.random() < state.failureRate) return send(res, 503, { error: 'upstream unavailable' });
  const base = (url.searchParams.get('base') ?? 'USD').toUpperCase().slice(0, 3);
  send(res, 200, { base, asOf: new Date().toISOString(), rates: rates(Date.now()) });
}

export async function startUpstream(
  opts: { port?: number; host?: string; latencyMs?: number; failureRate?: number } = {},
): Promise<UpstreamHandle> {
  const state: UpstreamState = {
    down: false,
    latencyMs: opts.latencyMs ?? 0,
    failureRate: opts.failureRate ?? 0,
    requests: 0,
  };
  const server = createServer((req, res) => {
    handle(state, req, res).catch((err: unknown) => send(res, 400, { error: (err as Error).message }));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    state,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
