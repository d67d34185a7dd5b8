/** Ingested values stay within the documented range, so no aggregate (sums in the hourly rollups) can overflow. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app.ts';
import { createBusiness } from '../../test-support/fixtures.ts';
import type { TestBusiness } from '../../test-support/fixtures.ts';
import { Client, startTestApp } from '../../test-support/harness.ts';
import { MAX_ABS_VALUE } from './service.ts';

const env = process.env;

interface DashboardMetric {
  metric: string;
  latest: number | null;
  min24h: number | null;
  max24h: number | null;
  avg24h: number | null;
}

describe('metric values', () => {
  let app: RunningApp;
  let biz: TestBusiness;
  let c: Client;

  beforeAll(async () => {
    [app, biz] = await Promise.all([
      startTestApp(env),
      createBusiness(env['DATABASE_URL'] ?? '', { points: false, replicaUrl: env['DATABASE_REPLICA_URL'] }),
    ]);
    c = new Client(app.url);
    await c.login(biz.owner.email, biz.owner.password);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const ingest = (metric: string, value: number, ts = new Date()) =>
    c.json<{ error: { code: string; details: { path: string; message: string }[] } }>('POST', '/api/metrics/ingest', {
      points: [{ metric, ts: ts.toISOString(), value }],
    });

  it('refuses values beyond ±1e15 with 400 naming the field, before anything is stored', async () => {
    expect(MAX_ABS_VALUE).toBe(1e15);
    for (const value of [1.7e308, -1.7e308, 1e15 + 2 ** 10, -1e16]) {
      const r = await ingest('orders', value);
      expect(r.status, String(value)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details.map((d) => d.path)).toEqual(['points.0.value']);
      expect(r.body.error.details[0]?.message).toMatch(/1e\+?15/);
    }
    const dash = await c.json<{ metrics: DashboardMetric[] }>('GET', '/api/dashboard');
    expect(dash.body.metrics.find((m) => m.metric === 'orders')?.latest).toBeNull();
  });

  it('takes the largest allowed value twice in one hour and keeps finite 24 h figures', async () => {
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 60_000);
    for (const [i, value] of [MAX_ABS_VALUE, MAX_ABS_VALUE, -MAX_ABS_VALUE].entries())
      expect((await ingest('revenue', value, new Date(hour.getTime() + i * 1000))).status).toBe(202);
    const dash = await c.json<{ metrics: DashboardMetric[] }>('GET', '/api/dashboard');
    const revenue = dash.body.metrics.find((m) => m.metric === 'revenue');
    expect(revenue).toMatchObject({ max24h: MAX_ABS_VALUE, min24h: -MAX_ABS_VALUE });
    expect(revenue?.avg24h).toBeCloseTo(MAX_ABS_VALUE / 3, -2);
    const series = await c.json<{ points: { max: number; count: number }[] }>(
      'GET',
      '/api/metrics/revenue/series?bucket=1d',
    );
    expect(series.body.points.at(-1)).toMatchObject({ max: MAX_ABS_VALUE, count: 3 });
  });

  it('has the database refuse out-of-range or non-finite values written around the API', async () => {
    const client = new pg.Client({ connectionString: env['DATABASE_URL'] });
    await client.connect();
    try {
      for (const value of ['1.7e308', 'NaN', 'Infinity']) {
        await expect(
          client.query('INSERT INTO metric_points (business_id, metric, ts, value) VALUES ($1, $2, now(), $3)', [
            biz.id,
            'orders',
            value,
          ]),
        ).rejects.toMatchObject({ code: '23514' });
      }
      await expect(
        client.query(
          `INSERT INTO metric_rollups_hourly (business_id, metric, bucket, count, sum, min, max)
           VALUES ($1, 'orders', date_trunc('hour', now()), 1, 'Infinity', 1, 1)`,
          [biz.id],
        ),
      ).rejects.toMatchObject({ code: '23514' });
    } finally {
      await client.end();
    }
  });
});
