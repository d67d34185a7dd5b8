import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../app.ts';
import { createBusiness } from '../test-support/fixtures.ts';
import type { TestBusiness } from '../test-support/fixtures.ts';
import { Client, startTestApp } from '../test-support/harness.ts';

const env = process.env;
const TTL = { CACHE_METRICS_TTL_MS: '1500', CACHE_USERDATA_TTL_MS: '1500' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('response cache (two instances sharing Redis)', () => {
  // a and b keep the seed's TTLs (so only invalidation can drop entries); `short` has 1.5 s TTLs and its own business.
  let a: RunningApp;
  let b: RunningApp;
  let short: RunningApp;
  let biz: TestBusiness;
  let bizShort: TestBusiness;
  let ca: Client;
  let cb: Client;

  beforeAll(async () => {
    const fixture = (): Promise<TestBusiness> =>
      createBusiness(env['DATABASE_URL'] ?? '', { replicaUrl: env['DATABASE_REPLICA_URL'] });
    [a, b, short, biz, bizShort] = await Promise.all([
      startTestApp(env),
      startTestApp(env),
      startTestApp(env, TTL),
      fixture(),
      fixture(),
    ]);
    ca = new Client(a.url);
    await ca.login(biz.owner.email, biz.owner.password);
    cb = new Client(b.url);
    cb.cookie = ca.cookie; // one session, used on both instances
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), short?.stop()]);
  });

  it('answers MISS then HIT from the cache, and MISS again after the TTL', async () => {
    const cs = new Client(short.url);
    await cs.login(bizShort.owner.email, bizShort.owner.password);
    const first = await cs.json('GET', '/api/dashboard');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(['replica', 'primary']).toContain(first.headers.get('x-served-by'));
    const second = await cs.json('GET', '/api/dashboard');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('x-served-by')).toBe('cache');
    // Answered by the hot path (before Express): same security headers.
    expect(second.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    expect(second.body).toEqual(first.body);
    await sleep(1700);
    const expired = await cs.json('GET', '/api/dashboard');
    expect(expired.headers.get('x-cache')).toBe('MISS');
  });

  it('drops a business metrics on every instance when data is ingested', async () => {
    await ca.json('GET', '/api/dashboard');
    // The other instance finds it in Redis, then in memory.
    expect((await cb.json('GET', '/api/dashboard')).headers.get('x-cache')).toBe('HIT');
    expect((await cb.json('GET', '/api/dashboard')).headers.get('x-cache')).toBe('HIT');
    const ts = new Date().toISOString();
    const ing = await ca.json<{ accepted: number; writeId: number }>('POST', '/api/metrics/ingest', {
      points: [{ metric: 'revenue', ts, value: 987654 }],
    });
    expect(ing.status).toBe(202);
    expect(ing.body.accepted).toBe(1);
    await sleep(100); // the pub/sub message to reach instance B (TTLs are 5 min here: only invalidation drops it)
    const after = await cb.json<{ metrics: { metric: string; latest: number }[] }>('GET', '/api/dashboard');
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.body.metrics.find((m) => m.metric === 'revenue')?.latest).toBe(987654);
  });

  it('drops a user data when the profile changes', async () => {
    await cb.json('GET', '/api/profile');
    expect((await cb.json('GET', '/api/profile')).headers.get('x-cache')).toBe('HIT');
    const patched = await ca.json<{ user: { displayName: string }; preferences: { theme: string } }>(
      'PATCH',
      '/api/profile',
      { displayName: 'Renamed', preferences: { theme: 'dark' } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.preferences.theme).toBe('dark');
    const after = await cb.json<{
      user: { displayName: string };
      preferences: { theme: string; defaultRange: string };
    }>('GET', '/api/profile');
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.body.user.displayName).toBe('Renamed');
    expect(after.body.preferences).toMatchObject({ theme: 'dark', defaultRange: '24h', version: 1 });
    expect((await cb.json<{ user: { displayName: string } }>('GET', '/api/auth/me')).body.user.displayName).toBe(
      'Renamed',
    );
  });

  it('rebuilds a cold key once under concurrency across both instances', async () => {
    await ca.json('POST', '/api/metrics/ingest', {
      points: [{ metric: 'orders', ts: new Date().toISOString(), value: 1 }],
    });
    await sleep(100);
    const before = a.context.counters.builds.metrics + b.context.counters.builds.metrics;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? ca : cb).json('GET', '/api/dashboard')),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const after = a.context.counters.builds.metrics + b.context.counters.builds.metrics;
    // Single-flight shares one build per instance; the Redis lock makes the other instance wait for it.
    expect(after - before).toBe(1);
    expect(new Set(results.map((r) => r.headers.get('etag'))).size).toBe(1);
  });

  it('answers 304 to a matching If-None-Match and compresses large bodies', async () => {
    const r1 = await ca.req('GET', '/api/dashboard');
    const etag = r1.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"/);
    await r1.arrayBuffer();
    const r2 = await ca.req('GET', '/api/dashboard', undefined, { 'if-none-match': etag });
    expect(r2.status).toBe(304);
    const gz = await ca.req('GET', '/api/dashboard', undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(((await gz.json()) as { businessId: number }).businessId).toBe(biz.id);
  });
});
