/** Malformed percent-encodings in paths, queries and cookies are the client's mistake: 400 or 401, never a 500 or a crash. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../app.ts';
import { start } from '../app.ts';
import { createLogger } from '../log.ts';
import { createBusiness } from '../test-support/fixtures.ts';
import type { TestBusiness } from '../test-support/fixtures.ts';
import { Client, testConfig } from '../test-support/harness.ts';

describe('bad URLs', () => {
  let app: RunningApp;
  let biz: TestBusiness;
  let dist: string;
  const logged: { level: string; msg: string; path?: string; err?: { name?: string } }[] = [];

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'app-dist-'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    const log = createLogger('debug', {}, (line) => void logged.push(JSON.parse(line) as (typeof logged)[number]));
    [app, biz] = await Promise.all([
      start(testConfig(process.env, { STATIC_DIR: dist }), log),
      createBusiness(process.env['DATABASE_URL'] ?? '', { points: false }),
    ]);
  });
  afterAll(async () => {
    await app?.stop();
    await rm(dist, { recursive: true, force: true });
  });

  const serverErrors = (): number => app.context.requestStats.errors.snapshot().data.count;

  it('answers malformed paths with 400 INVALID_URL, logs nothing above info and counts no server error', async () => {
    const errorsBefore = serverErrors();
    for (const path of ['/%', '/%E0%A4%A', '/dashboard/%zz', '/assets/%']) {
      const r = await fetch(app.url + path, { headers: { accept: 'text/html' } });
      expect(r.status, path).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('INVALID_URL');
    }
    const c = new Client(app.url);
    await c.login(biz.owner.email, biz.owner.password);
    const param = await c.json<{ error: { code: string; message: string } }>('GET', '/api/metrics/%E0%A4%A/series');
    expect(param.status).toBe(400);
    expect(param.body.error.code).toBe('INVALID_URL');
    const query = await c.json<{ error: { code: string } }>('GET', '/api/metrics/revenue/series?from=%E0%A4%A&to=%');
    expect(query.status).toBe(400);
    expect(query.body.error.code).toBe('VALIDATION_FAILED');
    expect(serverErrors()).toBe(errorsBefore);
    // Other lines (the stub upstream is not running here) are no concern of this test.
    const loud = logged.filter(
      (l) => (l.level === 'error' || l.level === 'warn') && (l.path !== undefined || l.err?.name === 'URIError'),
    );
    expect(loud).toEqual([]);
  });

  it('treats a malformed session cookie as no session, on the hot path and through Express', async () => {
    for (const path of ['/api/dashboard', '/api/auth/me', '/api/profile']) {
      const r = await fetch(app.url + path, { headers: { cookie: 'sid=%' } });
      expect(r.status, path).toBe(401);
    }
    const logout = await fetch(`${app.url}/api/auth/logout`, { method: 'POST', headers: { cookie: 'sid=%E0%A4%A' } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200); // the process is still there
  });
});
