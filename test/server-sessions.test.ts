/**
 * Sign-out across two app instances while Redis fails, on a private stack (stopping Redis on the
 * shared test stack would break other test files): a revoked session never works again.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../reference-app/db/migrate.ts';
import type { RunningApp } from '../reference-app/server/app.ts';
import { start } from '../reference-app/server/app.ts';
import { sessionKey } from '../reference-app/server/cache/keys.ts';
import { sessionHash } from '../reference-app/server/sessions/session-store.ts';
import { createBusiness } from '../reference-app/server/test-support/fixtures.ts';
import type { TestBusiness } from '../reference-app/server/test-support/fixtures.ts';
import { Client, testConfig } from '../reference-app/server/test-support/harness.ts';
import { startStack } from '../reference-app/rig/stack.ts';
import type { StackHandle } from '../reference-app/rig/stack.ts';

const ROOT = join(import.meta.dirname, '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('sessions that stay revoked (two instances, Redis failing)', () => {
  let stack: StackHandle;
  let a: RunningApp;
  let b: RunningApp;
  let biz: TestBusiness;

  beforeAll(async () => {
    stack = await startStack({ name: `server-sessions-${process.pid}`, cwd: ROOT, env: { PATH: process.env['PATH'] } });
    await migrate(stack.urls.primary);
    const env = {
      DATABASE_URL: stack.urls.primary,
      DATABASE_REPLICA_URL: stack.urls.replica,
      REDIS_URL: stack.urls.redis,
    };
    // Every query is "slow" (recorded with its text), so the test can see which ones a request ran.
    const config = testConfig(env, { UPSTREAM_URL: 'http://127.0.0.1:9', DB_SLOW_QUERY_MS: '0.000001' });
    [a, b, biz] = await Promise.all([
      start(config),
      start(config),
      createBusiness(stack.urls.primary, { replicaUrl: stack.urls.replica, points: false }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await stack?.stop();
  });

  const me = async (app: RunningApp, cookie: string): Promise<number> =>
    (await fetch(`${app.url}/api/auth/me`, { headers: { cookie } })).status;
  const bothReady = async (want: number): Promise<boolean> =>
    (await fetch(`${a.url}/readyz`)).status === want && (await fetch(`${b.url}/readyz`)).status === want;
  const signIn = async (): Promise<Client> => {
    const c = new Client(a.url);
    await c.login(biz.owner.email, biz.owner.password);
    return c;
  };
  const restartRedis = async (): Promise<void> => {
    await stack.stopService('redis');
    await eventually('both instances to see Redis down', () => bothReady(503), 5_000);
    await stack.startService('redis');
    await eventually('sign-in to work again', async () => {
      const c = new Client(a.url);
      await c.login(biz.viewer.email, biz.viewer.password);
      return bothReady(200);
    });
  };

  it('checks a signed-in request against Redis only: no database round trip for the session', async () => {
    const c = await signIn();
    expect(await me(b, c.cookie)).toBe(200);
    await sleep(2_100); // past the local fresh window: the next check goes to Redis
    const since = Date.now();
    for (let i = 0; i < 5; i += 1) expect(await me(b, c.cookie)).toBe(200);
    const queries = b.context.db.stats.recentSlow().filter((q) => q.at >= since);
    expect(queries.map((q) => q.query)).toEqual([]);
  });

  it('refuses a signed-out session on both instances, through the outage and after Redis restarts empty', async () => {
    const signedOut = await signIn();
    const kept = await signIn();
    for (const c of [signedOut, kept]) {
      expect(await me(a, c.cookie)).toBe(200);
      expect(await me(b, c.cookie)).toBe(200); // b holds both in its local cache now
    }
    await stack.stopService('redis');
    try {
      await eventually('both instances to see Redis down', () => bothReady(503), 5_000);
      expect(await me(b, kept.cookie)).toBe(200); // recently validated sessions keep working
      const logout = await signedOut.json<{ error: { code: string } }>('POST', '/api/auth/logout');
      // Redis cannot be told: nothing claims success (and the cookie is kept for a retry)...
      expect(logout.status).toBe(503);
      expect(logout.body.error.code).toBe('SESSIONS_UNAVAILABLE');
      expect(logout.headers.get('set-cookie')).toBeNull();
      // ...but the sign-out is recorded in PostgreSQL, which the instances check while Redis is away.
      expect(await me(b, signedOut.cookie)).toBe(401);
      expect(await me(a, signedOut.cookie)).toBe(401);
      expect(await me(b, kept.cookie)).toBe(200);
    } finally {
      await stack.startService('redis');
      await eventually('sign-in to work again', async () => (await signIn()) !== undefined && bothReady(200));
    }
    for (const app of [a, b]) {
      expect(await me(app, signedOut.cookie)).toBe(401);
      expect(await me(app, kept.cookie)).toBe(200); // restored from the local caches
    }
    const cookie = signedOut.cookie;
    expect((await signedOut.req('POST', '/api/auth/logout')).status).toBe(204);
    expect(await me(b, cookie)).toBe(401);
  });

  it('never restores a session that another instance signed out, even if this one missed the broadcast', async () => {
    const c = await signIn();
    const cookie = c.cookie; // the logout answer clears the client's copy
    expect(await me(b, cookie)).toBe(200);
    const bOnly = new Client(b.url); // a session only b knows, so only b can restore it
    await bOnly.login(biz.viewer.email, biz.viewer.password);
    // b stops hearing sign-outs (a lost pub/sub message) but keeps its copy of the session.
    const heard = b.context.invalidation.onSessionRevoked;
    b.context.invalidation.onSessionRevoked = undefined;
    try {
      expect((await c.req('POST', '/api/auth/logout')).status).toBe(204);
      await restartRedis(); // b puts back the sessions it validated recently
    } finally {
      b.context.invalidation.onSessionRevoked = heard;
    }
    expect(await me(a, bOnly.cookie)).toBe(200); // b did restore what it held, only not the signed-out one
    expect(await me(a, cookie)).toBe(401);
    expect(await me(b, cookie)).toBe(401);
  });

  it('answers 503 when Redis stalls mid sign-out, and deletes the session from Redis once it answers again', async () => {
    const c = await signIn();
    const cookie = c.cookie;
    expect(await me(b, cookie)).toBe(200);
    const admin = new Redis(stack.urls.redis);
    try {
      // Writes stall past the app's 1 s command timeout; the connections stay up, so no reconnect follows.
      await admin.call('CLIENT', 'PAUSE', '2500', 'WRITE');
      const logout = await c.json<{ error: { code: string } }>('POST', '/api/auth/logout');
      expect(logout.status).toBe(503);
      expect(logout.body.error.code).toBe('SESSIONS_UNAVAILABLE');
      // a refuses it whenever it cannot reach Redis (it asks PostgreSQL then); b, only once the key is gone.
      await eventually(
        'the recorded sign-out to reach Redis',
        async () => (await me(a, cookie)) === 401 && (await me(b, cookie)) === 401,
        15_000,
      );
      expect(await admin.exists(sessionKey(sessionHash(cookie.slice('sid='.length))))).toBe(0);
    } finally {
      admin.disconnect();
    }
  });

  it('agrees on a sign-out on both instances by the next request', async () => {
    const c = await signIn();
    expect(await me(b, c.cookie)).toBe(200);
    const cookie = c.cookie;
    expect((await c.req('POST', '/api/auth/logout')).status).toBe(204);
    await sleep(50); // the broadcast is in flight for well under a millisecond on one host
    expect(await me(b, cookie)).toBe(401);
    expect(await me(a, cookie)).toBe(401);
  });
});
