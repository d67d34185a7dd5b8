/**
 * Shipped scenarios on the shared VU model against the reference app: the same verdicts and the
 * same counts as test/scenarios.test.ts holds the isolate model to (smoke: exact counts; load: a
 * ramping mix with think time).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../reference-app/server/app.ts';
import { startTestApp } from '../reference-app/server/test-support/harness.ts';
import { startUpstream, type UpstreamHandle } from '../reference-app/server/upstream/stub-server.ts';
import { runScript, type RunOutcome } from '../toolkit/engines.ts';

const ROOT = join(import.meta.dirname, '..');
const SEEDED = { BUSINESSES: '20', VIEWERS: '2' };

function runScenario(name: string, baseUrl: string, extra: Record<string, string>): Promise<RunOutcome> {
  return runScript({
    script: join(ROOT, 'scenarios', `${name}.ts`),
    env: { BASE_URL: baseUrl, LATENCY_SCALE: '20', ...SEEDED, ...extra },
    cwd: ROOT,
    vuModel: 'shared',
    quiet: true,
    processEnv: process.env,
    stdout: { write: () => true },
    stderr: { write: () => true },
  });
}

type Summary = NonNullable<RunOutcome['summary']>;
const values = (s: Summary, name: string): Record<string, number> => s.metrics[name]?.values ?? {};

function expectPassed(out: RunOutcome): Summary {
  expect(out.vuModel).toBe('shared');
  expect(out.thresholds.filter((t) => !t.ok).map((t) => `${t.metric} ${t.source}`)).toEqual([]);
  expect(out.exitCode).toBe(0);
  expect(out.summary).not.toBeNull();
  expect(values(out.summary!, 'checks').fails).toBe(0);
  expect(values(out.summary!, 'checks').passes).toBeGreaterThan(0);
  return out.summary!;
}

describe('scenarios on the shared VU model against the reference app', () => {
  let upstream: UpstreamHandle;
  let app: RunningApp;
  beforeAll(async () => {
    upstream = await startUpstream();
    app = await startTestApp({ ...process.env, UPSTREAM_URL: upstream.url });
  });
  afterAll(async () => {
    await app?.stop();
    await upstream?.stop();
  });

  it('smoke: every endpoint, all checks and thresholds pass, counts as on the isolate model', async () => {
    const summary = expectPassed(await runScenario('smoke', app.url, { ITERATIONS: '2' }));
    for (const name of ['login', 'me', 'dashboard', 'series', 'ingest', 'profile_get', 'profile_update', 'external'])
      expect(values(summary, `http_req_duration{name:${name}}`)['p(95)']).toBeGreaterThan(0);
    expect(values(summary, 'http_req_failed').rate).toBe(0);
    expect(values(summary, 'read_your_writes_ok')).toMatchObject({ rate: 1, passes: 2 });
    expect(values(summary, 'ingested_points').count).toBe(6);
    expect(values(summary, 'iterations').count).toBe(2);
  });

  it('load: the ramping mix within its thresholds', async () => {
    const extra = { VUS: '3', RAMP_UP: '1s', DURATION: '4s', RAMP_DOWN: '1s', THINK: '0.05' };
    const summary = expectPassed(await runScenario('load', app.url, extra));
    expect(values(summary, 'http_reqs').count).toBeGreaterThan(50);
    expect(values(summary, 'vus_max').value).toBe(3);
  });
});
