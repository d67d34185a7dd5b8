/**
 * Sign-in throttling per client IP and per account, shared through Redis by
 * every instance. The app trusts X-Forwarded-For from its loopback peer here
 * (TRUST_PROXY=loopback, as behind the rig's nginx), so each test plays its own
 * client addresses (198.18.0.0/15, a benchmarking range) and never throttles
 * 127.0.0.1 for the other test files sharing this Redis.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../app.ts';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createBusiness } from '../test-support/fixtures.ts';
import type { TestBusiness } from '../test-support/fixtures.ts';
import { startTestApp, testConfig } from '../test-support/harness.ts';

const env = process.env;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const newIp = (): string => `198.${18 + randomInt(2)}.${randomInt(256)}.${1 + randomInt(254)}`;
const nobody = (): string => `nobody-${randomBytes(6).toString('hex')}@example.test`;

describe('sign-in throttling', () => {
  let app: RunningApp;
  let other: RunningApp;
  let one: TestBusiness;
  let two: TestBusiness;

  beforeAll(async () => {
    const settings = { TRUST_PROXY: 'loopback' };
    [app, other, one, two] = await Promise.all([
      startTestApp(env, settings),
      startTestApp(env, settings),
      createBusiness(env['DATABASE_URL'] ?? '', { points: false }),
      createBusiness(env['DATABASE_URL'] ?? '', { points: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([app?.stop(), other?.stop()]);
  });

  /** One sign-in attempt as `forwardedFor` (what nginx sends: the client's own header, then the address it saw). */
  async function attempt(
    email: string,
    password: string,
    forwardedFor: string,
    via: RunningApp = app,
  ): Promise<{ status: number; retryAfter: number | null }> {
    const res = await fetch(`${via.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password }),
    });
    await res.arrayBuffer();
    const retry = res.headers.get('retry-after');
    return { status: res.status, retryAfter: retry === null ? null : Number(retry) };
  }

  it('stops one address trying one password on many accounts (credential stuffing), on every instance', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      // A forged left-most entry changes nothing: only the address the proxy saw counts.
      const via = i % 2 === 0 ? app : other;
      statuses.push((await attempt(nobody(), 'Winter2024!', `${newIp()}, ${ip}`, via)).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // Throttled before the password is checked, so a right one does not get through from there...
    expect((await attempt(one.owner.email, one.owner.password, ip)).status).toBe(429);
    // ...while everyone else is unaffected.
    expect((await attempt(one.owner.email, one.owner.password, newIp())).status).toBe(200);
  });

  it('never blocks the right password from an address that did not fail, whatever other addresses did', async () => {
    const attacker = newIp();
    for (let i = 0; i < 12; i += 1) await attempt(one.viewer.email, `guess-${i}`, attacker);
    expect((await attempt(one.viewer.email, one.viewer.password, attacker)).status).toBe(429);
    expect((await attempt(one.viewer.email, one.viewer.password, newIp())).status).toBe(200);
  });

  it('backs off the failing address instead of locking the account for the whole window', async () => {
    const ip = newIp();
    for (let i = 0; i < 10; i += 1) expect((await attempt(two.owner.email, 'nope', ip)).status).toBe(401);
    const limited = await attempt(two.owner.email, two.owner.password, ip);
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe(1); // LOGIN_BACKOFF_BASE_MS, doubling with each further failure
    await sleep(1_100);
    expect((await attempt(two.owner.email, two.owner.password, ip)).status).toBe(200);
  });

  it('slows every failing address down on an account attacked from many addresses', async () => {
    for (let i = 0; i < 20; i += 1) await attempt(two.viewer.email, `spray-${i}`, newIp());
    const late = newIp();
    expect((await attempt(two.viewer.email, 'one-more', late)).status).toBe(401);
    const again = await attempt(two.viewer.email, 'and-another', late, other);
    expect(again.status).toBe(429); // from its first failure on this account, not its tenth
    expect(again.retryAfter).toBeGreaterThan(0);
    expect((await attempt(two.viewer.email, two.viewer.password, newIp())).status).toBe(200);
  });

  it('trusts X-Forwarded-For only when told it sits behind the loopback proxy, and only its last hop', async () => {
    const trusting = await createApp(testConfig(env, { TRUST_PROXY: 'loopback' }));
    const plain = await createApp(testConfig(env));
    try {
      const fn = trusting.app.get('trust proxy fn') as (addr: string, i: number) => boolean;
      expect([fn('127.0.0.1', 0), fn('::1', 0), fn('::ffff:127.0.0.1', 0)]).toEqual([true, true, true]);
      expect([fn('10.0.0.1', 0), fn('127.0.0.1', 1)]).toEqual([false, false]);
      const none = plain.app.get('trust proxy fn') as (addr: string, i: number) => boolean;
      expect(none('127.0.0.1', 0)).toBe(false);
    } finally {
      await Promise.all([trusting.close(), plain.close()]);
    }
    expect(() => loadConfig({ DATABASE_URL: 'x', REDIS_URL: 'y', TRUST_PROXY: 'all' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'x', REDIS_URL: 'y', TRUST_PROXY: 'all' })).toThrow(/TRUST_PROXY/);
  });
});
