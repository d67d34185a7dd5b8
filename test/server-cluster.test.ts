/** `npm run app -- --instances 2`: two processes on one port sharing sessions and cache invalidation. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../reference-app/server/test-support/fixtures.ts';
import type { TestBusiness } from '../reference-app/server/test-support/fixtures.ts';
import { Client } from '../reference-app/server/test-support/harness.ts';
import { spawnManaged } from '../toolkit/process/managed.ts';
import type { ManagedProcess } from '../toolkit/process/managed.ts';
import { freePort } from '../toolkit/process/ports.ts';

const ROOT = join(import.meta.dirname, '..');

describe('app instances behind one port (node:cluster)', () => {
  let proc: ManagedProcess;
  let url: string;
  let biz: TestBusiness;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    [proc, biz] = await Promise.all([
      spawnManaged({
        name: 'app-cluster',
        command: process.execPath,
        args: ['--import', 'tsx', join(ROOT, 'scripts/app.ts'), '--instances', '2', '--port', String(port)],
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'],
          DATABASE_URL: process.env['DATABASE_URL'],
          DATABASE_REPLICA_URL: process.env['DATABASE_REPLICA_URL'],
          REDIS_URL: process.env['REDIS_URL'],
          UPSTREAM_URL: 'http://127.0.0.1:9',
          LOG_LEVEL: 'error',
        },
        readyLog: /"instances":2/,
        readyTimeoutMs: 60_000,
      }),
      createBusiness(process.env['DATABASE_URL'] ?? '', { replicaUrl: process.env['DATABASE_REPLICA_URL'] }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await proc?.stop();
  });

  it('spreads requests over both instances, which share sessions and invalidations', async () => {
    const pids = new Set<string>();
    for (let i = 0; i < 8; i += 1) pids.add((await fetch(`${url}/healthz`)).headers.get('x-instance') ?? '');
    expect(pids.size).toBe(2);

    const c = new Client(url);
    await c.login(biz.owner.email, biz.owner.password);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i += 1) {
      const r = await c.json('GET', '/api/dashboard');
      expect(r.status).toBe(200); // the session made on one instance works on the other
      seen.add(r.headers.get('x-instance') ?? '');
    }
    expect(seen.size).toBe(2);

    const value = 777_000 + Math.floor(Math.random() * 1000);
    expect(
      (
        await c.json('POST', '/api/metrics/ingest', {
          points: [{ metric: 'active_users', ts: new Date().toISOString(), value }],
        })
      ).status,
    ).toBe(202);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 4; i += 1) {
      const r = await c.json<{ metrics: { metric: string; latest: number }[] }>('GET', '/api/dashboard');
      expect(r.body.metrics.find((m) => m.metric === 'active_users')?.latest).toBe(value);
    }

    // Signed out on one instance: refused at once on both (their local session copies are dropped too).
    const sid = c.cookie;
    expect((await c.req('POST', '/api/auth/logout')).status).toBe(204);
    await new Promise((r) => setTimeout(r, 100));
    c.cookie = sid;
    for (let i = 0; i < 4; i += 1) expect((await c.json('GET', '/api/dashboard')).status).toBe(401);
  });
});
