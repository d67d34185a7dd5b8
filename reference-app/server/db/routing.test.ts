import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../app.ts';
import { DASHBOARD_SQL } from '../features/dashboard/repository.ts';
import { createBusiness } from '../test-support/fixtures.ts';
import type { TestBusiness } from '../test-support/fixtures.ts';
import { Client, startTestApp } from '../test-support/harness.ts';

const env = process.env;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function onReplica<T>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: env['DATABASE_REPLICA_URL'] });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('read routing', () => {
  let app: RunningApp;
  let a: TestBusiness;
  let b: TestBusiness;

  beforeAll(async () => {
    [app, a, b] = await Promise.all([startTestApp(env), createBusiness(env['DATABASE_URL'] ?? ''), createBusiness(env['DATABASE_URL'] ?? '')]);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('reads from the replica, writes to the primary', async () => {
    const c = new Client(app.url);
    await c.login(a.owner.email, a.owner.password);
    await sleep(300); // let the replica replay the fixture rows
    const r = await c.json('GET', '/api/metrics/orders/series?bucket=1h');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-served-by')).toBe('replica');
    const w = await c.json('POST', '/api/metrics/ingest', { points: [{ metric: 'orders', ts: new Date().toISOString(), value: 3 }] });
    expect(w.status).toBe(202);
    expect(w.headers.get('x-served-by')).toBe('primary');
  });

  it('sends a writer (and their business) to the primary until the replica has replayed the write', async () => {
    const owner = new Client(app.url);
    const viewer = new Client(app.url);
    const stranger = new Client(app.url);
    await Promise.all([owner.login(a.owner.email, a.owner.password), viewer.login(a.viewer.email, a.viewer.password), stranger.login(b.owner.email, b.owner.password)]);
    await sleep(300);
    await onReplica('SELECT pg_wal_replay_pause()');
    try {
      const value = 424242 + Math.random();
      const w = await owner.json('POST', '/api/metrics/ingest', { points: [{ metric: 'revenue', ts: new Date().toISOString(), value }] });
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
    const strict = await startTestApp(env, { REPLICA_MAX_LAG_BYTES: '4096', REPLICA_PROBE_MS: '100' });
    try {
      const writer = new Client(strict.url);
      const reader = new Client(strict.url);
      await Promise.all([writer.login(a.owner.email, a.owner.password), reader.login(b.viewer.email, b.viewer.password)]);
      await sleep(300);
      let n = 0;
      const served = async (): Promise<string | null> =>
        (await reader.json('GET', `/api/metrics/orders/series?bucket=1h&to=${new Date(Date.now() + ++n * 60_000).toISOString()}`)).headers.get('x-served-by');
      expect(await served()).toBe('replica');
      await onReplica('SELECT pg_wal_replay_pause()');
      try {
        const points = Array.from({ length: 500 }, (_, i) => ({ metric: 'orders', ts: new Date(Date.now() - i * 1000).toISOString(), value: i }));
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

  it('runs the dashboard queries on indexes', async () => {
    const c = new pg.Client({ connectionString: env['DATABASE_URL'] });
    await c.connect();
    try {
      await c.query('ANALYZE metric_points; ANALYZE metric_rollups_hourly; ANALYZE metric_definitions');
      const plans: Record<string, string> = {};
      for (const [name, sql] of Object.entries(DASHBOARD_SQL)) {
        const args = name === 'rollupsSince' ? `${a.id}, now() - interval '24 hours'` : `${a.id}`;
        // A generic plan (as a prepared statement gets after a few runs) shows the index use for any business.
        await c.query(`PREPARE q_${name} AS ${sql}`);
        await c.query('SET plan_cache_mode = force_generic_plan');
        const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE q_${name}(${args})`);
        plans[name] = r.rows.map((row) => row['QUERY PLAN']).join('\n');
      }
      expect(plans['latestTwo']).toMatch(/Index Only Scan using metric_points_business_metric_ts_idx/);
      expect(plans['rollupsSince']).toMatch(/Index Scan (using|on) (metric_rollups_business_bucket_idx|metric_rollups_hourly_pkey)/);
      // metric_definitions is a few rows per business: a seq scan there is the planner being right.
      for (const plan of Object.values(plans)) expect(plan).not.toMatch(/Seq Scan on (metric_points|metric_rollups_hourly)/);
    } finally {
      await c.end();
    }
  });
});
