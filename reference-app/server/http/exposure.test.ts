/** What the app tells whom: no process ids, no other tenants' totals, no SQL text to anyone but the platform's operators. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../app.ts';
import { addUser, createBusiness } from '../test-support/fixtures.ts';
import type { TestBusiness, TestUser } from '../test-support/fixtures.ts';
import { Client, startTestApp } from '../test-support/harness.ts';

const env = process.env;
const TOKEN = randomBytes(24).toString('base64url');

interface Performance {
  database: { slowQueries: string[]; slowQueryDetail: { query: string }[] };
  instances: { id: string; pid?: number }[];
}

describe('information exposed', () => {
  let app: RunningApp;
  let second: RunningApp;
  let biz: TestBusiness;
  let operator: TestUser;

  beforeAll(async () => {
    // Every query counts as slow, so /api/performance has SQL text to show (or to hide).
    const settings = { PERFORMANCE_TOKEN: TOKEN, DB_SLOW_QUERY_MS: '0.000001', UPSTREAM_URL: 'http://127.0.0.1:9' };
    [app, second, biz] = await Promise.all([
      startTestApp(env, settings),
      startTestApp(env, settings),
      createBusiness(env['DATABASE_URL'] ?? '', { points: false, replicaUrl: env['DATABASE_REPLICA_URL'] }),
    ]);
    operator = await addUser(env['DATABASE_URL'] ?? '', biz.id, 'platform_admin', env['DATABASE_REPLICA_URL']);
    const c = new Client(app.url);
    await c.login(biz.owner.email, biz.owner.password);
    await c.json('GET', '/api/dashboard'); // some queries to report
  });
  afterAll(async () => {
    await Promise.all([app?.stop(), second?.stop()]);
  });

  it('names each instance by a stable opaque id, never its process id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i += 1) ids.add((await fetch(`${app.url}/healthz`)).headers.get('x-instance') ?? '');
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(id).not.toContain(String(process.pid));
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toEqual({ ok: true, instance: id });
    expect((await fetch(`${second.url}/api/nope`)).headers.get('x-instance')).not.toBe(id);
  });

  it('shows the cross-business overview to platform admins only', async () => {
    const owner = new Client(app.url);
    await owner.login(biz.owner.email, biz.owner.password);
    const refused = await owner.json<{ error: { code: string } }>('GET', '/api/admin/overview');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const admin = new Client(app.url);
    await admin.login(operator.email, operator.password);
    const overview = await admin.json<{ businesses: number; users: number }>('GET', '/api/admin/overview');
    expect(overview.status).toBe(200);
    expect(overview.body.businesses).toBeGreaterThan(0);
    expect((await fetch(`${app.url}/api/admin/overview`)).status).toBe(401);
  });

  it('keeps SQL text and process ids out of /api/performance unless the caller is an operator', async () => {
    const anonymous = await fetch(`${app.url}/api/performance`);
    expect(anonymous.status).toBe(200);
    const open = (await anonymous.json()) as Performance;
    expect(open.database.slowQueries.length).toBeGreaterThan(0); // still counted, so budgets on it hold
    expect(open.database.slowQueries.every((q) => /^hidden:[0-9a-f]{12}$/.test(q))).toBe(true);
    expect(JSON.stringify(open)).not.toMatch(/SELECT|FROM |metric_|"pid"/i);
    expect(open.instances.every((i) => /^[0-9a-f]{12}$/.test(i.id))).toBe(true);

    const owner = new Client(app.url);
    await owner.login(biz.owner.email, biz.owner.password);
    expect(JSON.stringify((await owner.json('GET', '/api/performance')).body)).not.toMatch(/SELECT/);

    const withToken = await fetch(`${app.url}/api/performance`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const full = (await withToken.json()) as Performance;
    const isSql = (q: string): boolean => !q.startsWith('hidden:') && /^[A-Z]+ /i.test(q);
    expect(full.database.slowQueries.length).toBeGreaterThan(0);
    expect(full.database.slowQueries.every(isSql)).toBe(true);
    expect(full.instances.every((i) => typeof i.pid === 'number')).toBe(true);

    const admin = new Client(app.url);
    await admin.login(operator.email, operator.password);
    const asAdmin = await admin.json<Performance>('GET', '/api/performance');
    expect(asAdmin.body.database.slowQueries.every(isSql)).toBe(true);

    const wrong = await fetch(`${app.url}/api/performance`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });
});
