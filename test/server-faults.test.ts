/**
 * Fault tests for the reference app's server on a private stack of their own
 * (stopping services on the shared test stack would break other test files).
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../reference-app/db/migrate.ts';
import type { RunningApp } from '../reference-app/server/app.ts';
import { createBusiness } from '../reference-app/server/test-support/fixtures.ts';
import type { TestBusiness } from '../reference-app/server/test-support/fixtures.ts';
import { Client, startTestApp } from '../reference-app/server/test-support/harness.ts';
import type { ManagedProcess } from '../toolkit/process/managed.ts';
import { freePort } from '../toolkit/process/ports.ts';
import { startStack } from '../reference-app/rig/stack.ts';
import type { StackHandle } from '../reference-app/rig/stack.ts';

const ROOT = join(import.meta.dirname, '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns true (bounded). */
async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('server under replica lag and faults', () => {
  let stack: StackHandle;
  let app: RunningApp;
  let biz: TestBusiness;
  let upstream: ManagedProcess;
  let upstreamUrl: string;
  let upstreamPort: number;
  let other: TestBusiness;
  let appEnv: Record<string, string>;

  async function onReplica(sql: string): Promise<void> {
    const c = new pg.Client({ connectionString: stack.urls.replica });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }

  const spawnUpstream = (): Promise<ManagedProcess> =>
    stack.spawnManaged({
      name: 'upstream',
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'scripts/upstream.ts'), '--port', String(upstreamPort)],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
      cwd: ROOT,
      readyUrl: `${upstreamUrl}/healthz`,
    });

  beforeAll(async () => {
    stack = await startStack({ name: `server-faults-${process.pid}`, cwd: ROOT, env: { PATH: process.env['PATH'] } });
    await migrate(stack.urls.primary);
    upstreamPort = await freePort();
    upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
    upstream = await spawnUpstream();
    appEnv = {
      DATABASE_URL: stack.urls.primary,
      DATABASE_REPLICA_URL: stack.urls.replica,
      REDIS_URL: stack.urls.redis,
      UPSTREAM_URL: upstreamUrl,
    };
    [app, biz, other] = await Promise.all([
      startTestApp(appEnv, { CACHE_EXTERNAL_TTL_MS: '1600' }),
      createBusiness(stack.urls.primary, { replicaUrl: stack.urls.replica }),
      createBusiness(stack.urls.primary, { replicaUrl: stack.urls.replica }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await stack?.stop();
  });

  it('sends a writer (and their business) to the primary until the replica has replayed the write', async () => {
    const owner = new Client(app.url);
    const viewer = new Client(app.url);
    const stranger = new Client(app.url);
    await Promise.all([
      owner.login(biz.owner.email, biz.owner.password),
      viewer.login(biz.viewer.email, biz.viewer.password),
      stranger.login(other.owner.email, other.owner.password),
    ]);
    await sleep(300);
    await onReplica('SELECT pg_wal_replay_pause()');
    try {
      const value = 424242 + Math.random();
      const w = await owner.json('POST', '/api/metrics/ingest', {
        points: [{ metric: 'revenue', ts: new Date().toISOString(), value }],
      });
      expect(w.status).toBe(202);
      const own = await owner.json<{ metrics: { metric: string; latest: number }[] }>('GET', '/api/dashboard');
      expect(own.headers.get('x-served-by')).toBe('primary');
      expect(own.body.metrics.find((m) => m.metric === 'revenue')?.latest).toBe(value);
      const colleague = await viewer.json('GET', '/api/metrics/revenue/series?bucket=5m');
      expect(colleague.headers.get('x-served-by')).toBe('primary');
      const other = await stranger.json('GET', '/api/metrics/revenue/series?bucket=5m');
      expect(other.headers.get('x-served-by')).toBe('replica');
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
    await sleep(400);
    const later = await owner.json('GET', '/api/metrics/revenue/series?bucket=1d');
    expect(later.headers.get('x-served-by')).toBe('replica');
  });

  it('bypasses a lagging replica for everyone and uses it again once it caught up', async () => {
    const strict = await startTestApp(appEnv, { REPLICA_MAX_LAG_BYTES: '4096', REPLICA_PROBE_MS: '100' });
    try {
      const writer = new Client(strict.url);
      const reader = new Client(strict.url);
      await Promise.all([
        writer.login(biz.owner.email, biz.owner.password),
        reader.login(other.viewer.email, other.viewer.password),
      ]);
      await sleep(300);
      let n = 0;
      const served = async (): Promise<string | null> =>
        (
          await reader.json(
            'GET',
            `/api/metrics/orders/series?bucket=1h&to=${new Date(Date.now() + ++n * 60_000).toISOString()}`,
          )
        ).headers.get('x-served-by');
      expect(await served()).toBe('replica');
      await onReplica('SELECT pg_wal_replay_pause()');
      try {
        const points = Array.from({ length: 500 }, (_, i) => ({
          metric: 'orders',
          ts: new Date(Date.now() - i * 1000).toISOString(),
          value: i,
        }));
        expect((await writer.json('POST', '/api/metrics/ingest', { points })).status).toBe(202);
        await sleep(400); // a few probes see the lag
        expect(await served()).toBe('primary');
      } finally {
        await onReplica('SELECT pg_wal_replay_resume()');
      }
      await sleep(500);
      expect(await served()).toBe('replica');
    } finally {
      await strict.stop();
    }
  });

  it('refreshes external data on schedule and serves it stale while the upstream is down', async () => {
    const c = new Client(app.url);
    await c.login(biz.owner.email, biz.owner.password);
    const first = await c.json<{ fetchedAt: string; stale: boolean }>('GET', '/api/external/rates');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toMatch(/HIT|MISS/);
    const state = async (): Promise<{ requests: number }> =>
      (await (await fetch(`${upstreamUrl}/admin/state`)).json()) as { requests: number };
    const before = (await state()).requests;
    await sleep(2500); // past the TTL: the background job has refreshed without any request
    expect((await state()).requests).toBeGreaterThan(before);
    const fresh = await c.json<{ fetchedAt: string; ageSeconds: number }>('GET', '/api/external/rates');
    expect(fresh.headers.get('x-cache')).toBe('HIT');
    expect(Date.parse(fresh.body.fetchedAt)).toBeGreaterThan(Date.parse(first.body.fetchedAt));

    await fetch(`${upstreamUrl}/admin/state`, { method: 'POST', body: JSON.stringify({ down: true }) });
    await sleep(2000);
    const stale = await c.json<{ stale: boolean; ageSeconds: number }>('GET', '/api/external/rates');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-cache')).toBe('STALE');
    expect(stale.body.stale).toBe(true);
    expect(stale.body.ageSeconds).toBeGreaterThanOrEqual(1);

    await upstream.stop();
    const gone = await c.json<{ stale: boolean }>('GET', '/api/external/rates');
    expect(gone.headers.get('x-cache')).toBe('STALE');
    upstream = await spawnUpstream();
    await eventually(
      'fresh external data',
      async () => (await c.json('GET', '/api/external/rates')).headers.get('x-cache') !== 'STALE',
    );
  });

  it('keeps answering from the database when Redis is down and recovers when it is back', async () => {
    const c = new Client(app.url);
    await c.login(biz.owner.email, biz.owner.password);
    await c.json('GET', '/api/dashboard');
    expect((await c.json('GET', '/api/dashboard')).headers.get('x-cache')).toBe('HIT');
    await stack.stopService('redis');
    await eventually('redis to be noticed down', async () => (await fetch(`${app.url}/readyz`)).status === 503, 5_000);
    const dash = await c.json('GET', '/api/dashboard');
    expect(dash.status).toBe(200);
    expect(dash.headers.get('x-cache')).toBe('MISS');
    expect(['replica', 'primary']).toContain(dash.headers.get('x-served-by'));
    expect((await c.json('GET', '/api/profile')).status).toBe(200); // the session from the local cache
    const login = await new Client(app.url).json<{ error: { code: string } }>('POST', '/api/auth/login', {
      email: biz.viewer.email,
      password: biz.viewer.password,
    });
    expect(login.status).toBe(503);
    expect(login.body.error.code).toBe('SESSIONS_UNAVAILABLE');
    expect(login.headers.get('retry-after')).toBeTruthy();

    await stack.startService('redis');
    await eventually(
      'sign-in to work again',
      async () =>
        (
          await new Client(app.url).json('POST', '/api/auth/login', {
            email: biz.viewer.email,
            password: biz.viewer.password,
          })
        ).status === 200,
    );
    expect((await c.json('GET', '/api/auth/me')).status).toBe(200); // restored to the new Redis
    await c.json('GET', '/api/dashboard');
    expect((await c.json('GET', '/api/dashboard')).headers.get('x-cache')).toBe('HIT');
  });

  it('moves reads to the primary when the replica is down and back when it returns', async () => {
    const c = new Client(app.url);
    await c.login(biz.viewer.email, biz.viewer.password);
    const series = (n: number): string =>
      `/api/metrics/orders/series?bucket=1h&to=${new Date(Date.now() + n * 60_000).toISOString()}`;
    await eventually(
      'reads on the replica',
      async () => (await c.json('GET', series(1))).headers.get('x-served-by') === 'replica',
    );
    await stack.stopService('replica');
    const r = await c.json('GET', series(2));
    expect(r.status).toBe(200);
    expect(r.headers.get('x-served-by')).toBe('primary');
    await stack.startService('replica');
    let n = 3;
    await eventually(
      'reads back on the replica',
      async () => (await c.json('GET', series(n++))).headers.get('x-served-by') === 'replica',
    );
  });

  it('serves reads from the replica and refuses writes with 503 while the primary is down', async () => {
    const c = new Client(app.url);
    await c.login(biz.owner.email, biz.owner.password);
    await sleep(600);
    await stack.stopService('primary');
    try {
      const read = await c.json(
        'GET',
        `/api/metrics/revenue/series?bucket=1h&to=${new Date(Date.now() + 3_600_000).toISOString()}`,
      );
      expect(read.status).toBe(200);
      expect(read.headers.get('x-served-by')).toBe('replica');
      const write = await c.json<{ error: { code: string } }>('POST', '/api/metrics/ingest', {
        points: [{ metric: 'revenue', ts: new Date().toISOString(), value: 1 }],
      });
      expect(write.status).toBe(503);
      expect(write.body.error.code).toBe('DATABASE_UNAVAILABLE');
    } finally {
      await stack.startService('primary');
    }
    await eventually(
      'writes to work again',
      async () =>
        (
          await c.json('POST', '/api/metrics/ingest', {
            points: [{ metric: 'revenue', ts: new Date().toISOString(), value: 2 }],
          })
        ).status === 202,
    );
  });
});
