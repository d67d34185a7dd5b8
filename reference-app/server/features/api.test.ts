import { mkdir, mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../app.ts';
import { createBusiness } from '../test-support/fixtures.ts';
import type { TestBusiness } from '../test-support/fixtures.ts';
import { Client, startTestApp } from '../test-support/harness.ts';

const env = process.env;

describe('API: auth, tenants, telemetry, static files', () => {
  let app: RunningApp;
  const OPERATOR_TOKEN = 'operator-token-of-this-test-0123';
  let a: TestBusiness;
  let b: TestBusiness;
  let root: string;
  let dist: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'app-build-'));
    dist = join(root, 'dist');
    await mkdir(join(root, 'build-stats'), { recursive: true });
    await mkdir(dist);
    await writeFile(
      join(dist, 'index.html'),
      '<!doctype html><script defer src="/assets/main.0123abcd89.js"></script><div id="root"></div>',
    );
    await writeFile(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    const js = 'console.log("app");'.repeat(20);
    await writeFile(join(dist, 'main.0123abcd89.js'), js);
    await writeFile(join(dist, 'main.0123abcd89.js.gz'), gzipSync(js));
    // A stale copy in the served folder (an old build's) must not be served either.
    await writeFile(join(dist, 'stats.json'), '{"outputPath":"/secret/build/path"}');
    await writeFile(join(dist, '.build-stamp'), 'abc');
    await writeFile(
      join(root, 'build-stats', 'stats.json'),
      JSON.stringify({
        assets: [
          { name: 'main.0123abcd89.js', size: 380 },
          { name: 'vendor.aa11bb22cc.js', size: 1000 },
        ],
        entrypoints: {
          main: { assets: [{ name: 'vendor.aa11bb22cc.js' }, { name: 'main.0123abcd89.js' }, { name: 'main.css' }] },
        },
      }),
    );
    [app, a, b] = await Promise.all([
      startTestApp(env, { LOGIN_MAX_FAILURES: '3', STATIC_DIR: dist, PERFORMANCE_TOKEN: OPERATOR_TOKEN }),
      createBusiness(env['DATABASE_URL'] ?? '', { replicaUrl: env['DATABASE_REPLICA_URL'] }),
      createBusiness(env['DATABASE_URL'] ?? '', { replicaUrl: env['DATABASE_REPLICA_URL'] }),
    ]);
  });
  afterAll(async () => {
    await app?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('signs in with an HttpOnly SameSite cookie, answers me, signs out', async () => {
    const c = new Client(app.url);
    expect((await c.json('GET', '/api/auth/me')).status).toBe(401);
    const res = await c.req('POST', '/api/auth/login', {
      email: a.owner.email.toUpperCase(),
      password: a.owner.password,
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user).toEqual({
      id: a.owner.id,
      email: a.owner.email,
      displayName: expect.any(String),
      role: 'owner',
      businessId: a.id,
      businessName: a.name,
    });
    const me = await c.json<{ user: { id: number } }>('GET', '/api/auth/me');
    expect(me.body.user.id).toBe(a.owner.id);
    expect((await c.req('POST', '/api/auth/logout')).status).toBe(204);
    c.cookie = `sid=${decodeURIComponent(cookie.split(';')[0]?.slice(4) ?? '')}`;
    expect((await c.json('GET', '/api/auth/me')).status).toBe(401);
  });

  it('rejects wrong passwords with a stable error and rate-limits per IP and email', async () => {
    const c = new Client(app.url);
    for (let i = 0; i < 3; i += 1) {
      const r = await c.json<{ error: { code: string } }>('POST', '/api/auth/login', {
        email: b.viewer.email,
        password: 'wrong',
      });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const limited = await c.json<{ error: { code: string } }>('POST', '/api/auth/login', {
      email: b.viewer.email,
      password: b.viewer.password,
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const bad = await c.json<{ error: { code: string; details: unknown[] } }>('POST', '/api/auth/login', {
      email: 'not-an-email',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.length).toBeGreaterThan(0);
  });

  it('never shows or changes another business data', async () => {
    const ca = new Client(app.url);
    await ca.login(a.owner.email, a.owner.password);
    const dash = await ca.json<{ businessId: number; businessName: string }>('GET', '/api/dashboard');
    expect(dash.body.businessId).toBe(a.id);
    // Tenant ids in the body or query are refused or ignored: the session decides.
    const cross = await ca.json<{ error: { code: string } }>('POST', '/api/metrics/ingest', {
      businessId: b.id,
      points: [{ metric: 'revenue', ts: new Date().toISOString(), value: 1 }],
    });
    expect(cross.status).toBe(400);
    const q = await ca.json<{ businessId: number }>('GET', `/api/dashboard?businessId=${b.id}`);
    expect(q.body.businessId).toBe(a.id);
    const unknown = await ca.json<{ error: { code: string } }>('GET', '/api/metrics/not_a_metric/series');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('UNKNOWN_METRIC');
    const value = 31337.5;
    expect(
      (
        await ca.json('POST', '/api/metrics/ingest', {
          points: [{ metric: 'signups_x', ts: new Date().toISOString(), value }],
        })
      ).status,
    ).toBe(404);
    await ca.json('POST', '/api/metrics/ingest', {
      points: [{ metric: 'revenue', ts: new Date().toISOString(), value }],
    });
    const cb = new Client(app.url);
    await cb.login(b.owner.email, b.owner.password);
    const other = await cb.json<{ businessId: number; metrics: { metric: string; latest: number }[] }>(
      'GET',
      '/api/dashboard',
    );
    expect(other.body.businessId).toBe(b.id);
    expect(other.body.metrics.find((m) => m.metric === 'revenue')?.latest).not.toBe(value);
    const profile = await cb.json<{ user: { id: number } }>('PATCH', '/api/profile', {
      userId: a.owner.id,
      displayName: 'x',
    });
    expect(profile.status).toBe(400);
  });

  it('validates series ranges and returns bucketed points', async () => {
    const c = new Client(app.url);
    await c.login(a.viewer.email, a.viewer.password);
    const to = new Date();
    const from = new Date(to.getTime() - 6 * 3600_000);
    const s = await c.json<{ bucket: string; points: { t: string; avg: number; count: number }[] }>(
      'GET',
      `/api/metrics/orders/series?from=${from.toISOString()}&to=${to.toISOString()}&bucket=1h`,
    );
    expect(s.status).toBe(200);
    expect(s.body.points.length).toBeGreaterThanOrEqual(5);
    expect(s.body.points.every((p) => p.count > 0)).toBe(true);
    const tooLong = await c.json<{ error: { code: string } }>(
      'GET',
      `/api/metrics/orders/series?from=2020-01-01T00:00:00Z&to=${to.toISOString()}&bucket=5m`,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('sets security headers and answers unknown API paths with JSON 404', async () => {
    const r = await fetch(`${app.url}/api/nope`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('lets only an operator start the slow-query window afresh', async () => {
    const reset = (headers: Record<string, string>) =>
      fetch(`${app.url}/api/performance/reset`, { method: 'POST', headers });
    expect((await reset({})).status).toBe(403);
    expect((await reset({ authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    expect((await reset({ authorization: `Bearer ${OPERATOR_TOKEN}` })).status).toBe(204);
  });

  it('takes RUM beacons and reports measured performance', async () => {
    const page = `/test-${Date.now()}`;
    for (const v of [100, 200, 300]) {
      const r = await fetch(`${app.url}/api/rum`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({
          page,
          metrics: [
            { name: 'loadTime', value: v },
            { name: 'renderTime', value: v / 2 },
          ],
        }),
      });
      expect(r.status).toBe(204);
    }
    const perf = (await (await fetch(`${app.url}/api/performance`)).json()) as Record<string, Record<string, unknown>>;
    expect(perf['database']).toMatchObject({
      queryTime: expect.any(Number),
      connectionCount: expect.any(Number),
      slowQueries: expect.any(Array),
    });
    expect(perf['api']).toMatchObject({
      responseTime: expect.any(Number),
      throughput: expect.any(Number),
      errorRate: expect.any(Number),
    });
    expect(perf['frontend']?.['loadTime']).toEqual(expect.any(Number));
    expect(perf['frontend']?.['bundleSize']).toBe(1380);
    expect(perf['cache']).toHaveProperty('hitRatio');
    expect(Array.isArray(perf['instances'])).toBe(true);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/app_http_request_duration_seconds_bucket/);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });

  it('serves the SPA: immutable hashed assets, precompressed variants, no-cache shell, fallback', async () => {
    const asset = await fetch(`${app.url}/main.0123abcd89.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(await asset.text()).toContain('console.log');
    const sw = await fetch(`${app.url}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const deep = await fetch(`${app.url}/dashboard/revenue`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(await deep.text()).toContain('<div id="root">');
    for (const artefact of ['/stats.json', '/bundle-report.html', '/.build-stamp']) {
      const r = await fetch(app.url + artefact);
      const text = await r.text();
      expect(text, artefact).not.toContain('/secret/build/path');
      expect(text, artefact).not.toBe('abc');
    }
  });
});
