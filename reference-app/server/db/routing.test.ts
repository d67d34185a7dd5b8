import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../app.ts';
import { DASHBOARD_SQL } from '../features/dashboard/repository.ts';
import { createBusiness } from '../test-support/fixtures.ts';
import type { TestBusiness } from '../test-support/fixtures.ts';
import { Client, startTestApp } from '../test-support/harness.ts';

const env = process.env;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Read routing on the shared test stack; the tests that pause replication run on a private stack (test/server-faults.test.ts). */
describe('read routing', () => {
  let app: RunningApp;
  let a: TestBusiness;

  beforeAll(async () => {
    [app, a] = await Promise.all([
      startTestApp(env),
      createBusiness(env['DATABASE_URL'] ?? '', { replicaUrl: env['DATABASE_REPLICA_URL'] }),
    ]);
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
    const w = await c.json('POST', '/api/metrics/ingest', {
      points: [{ metric: 'orders', ts: new Date().toISOString(), value: 3 }],
    });
    expect(w.status).toBe(202);
    expect(w.headers.get('x-served-by')).toBe('primary');
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
      // metric_points is partitioned by day: one index-only scan per partition, each on its copy of the composite index.
      expect(plans['latestTwo']).toMatch(/Index Only Scan using metric_points_p\d{8}_business_id_metric_ts_value_idx/);
      expect(plans['rollupsSince']).toMatch(
        /Index Scan (using|on) (metric_rollups_business_bucket_idx|metric_rollups_hourly_pkey)/,
      );
      // metric_definitions is a few rows per business: a seq scan there is the planner being right.
      for (const plan of Object.values(plans))
        expect(plan).not.toMatch(/Seq Scan on (metric_points\w*|metric_rollups_hourly)/);
    } finally {
      await c.end();
    }
  });
});
