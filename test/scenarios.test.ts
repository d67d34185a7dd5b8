/**
 * The k6 scenarios: that they stay plain k6 scripts (only k6 modules and
 * relative .ts files), and that each one passes its own thresholds and checks
 * in the built-in runner against the reference app.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../reference-app/server/app.ts';
import { startTestApp } from '../reference-app/server/test-support/harness.ts';
import { startUpstream } from '../reference-app/server/upstream/stub-server.ts';
import type { UpstreamHandle } from '../reference-app/server/upstream/stub-server.ts';
import { runScript } from '../toolkit/engines.ts';
import type { RunOutcome } from '../toolkit/engines.ts';

const ROOT = join(import.meta.dirname, '..');
const SCENARIO_DIR = join(ROOT, 'scenarios');
const SCENARIOS = ['smoke', 'load', 'stress', 'spike', 'soak', 'cache', 'replica', 'scale-shards', 'autoscale'];
const K6_MODULES = /^k6(\/(http|metrics|execution|data))?$/;

describe('scenario scripts', () => {
  it('include every documented scenario', () => {
    const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(SCENARIOS.map((s) => `${s}.ts`).sort());
  });

  it.each(SCENARIOS)('%s imports only k6 modules and relative .ts files', async (name) => {
    const result = await build({
      entryPoints: [join(SCENARIO_DIR, `${name}.ts`)],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'neutral',
      external: ['k6', 'k6/*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) => relative(ROOT, join(ROOT, p)));
    expect(inputs.every((p) => p.startsWith('scenarios/') && p.endsWith('.ts'))).toBe(true);
    const external = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(external.length).toBeGreaterThan(0);
    for (const path of external) expect(path).toMatch(K6_MODULES);
    const text = result.outputFiles[0]?.text ?? '';
    expect(text).toContain('thresholds');
  });
});

/** The global setup seeds scale "small": 20 businesses with 2 viewers each. */
const SEEDED = { BUSINESSES: '20', VIEWERS: '2' };

/**
 * Short runs of every scenario: seconds, not minutes, and a few VUs, so the
 * file stays well under two minutes on a shared 2-core machine. Latency
 * thresholds are scaled up (LATENCY_SCALE) because these tests judge that
 * scenarios and thresholds work, not how fast this machine is.
 */
const SHORT: Record<string, Record<string, string>> = {
  smoke: { ITERATIONS: '2' },
  load: { VUS: '3', RAMP_UP: '1s', DURATION: '4s', RAMP_DOWN: '1s', THINK: '0.05' },
  // MAX_VUS leaves room for a machine busy with other test files: slower iterations need more VUs, not drops.
  stress: { RATE: '20', STEPS: '2', STEP_RAMP: '1s', STEP_HOLD: '2s', PRE_VUS: '4', MAX_VUS: '16' },
  spike: { BASE_VUS: '1', SPIKE_VUS: '5', BASELINE: '2s', SURGE: '1s', HOLD: '2s', RECOVERY: '2s', THINK: '0.05' },
  soak: { VUS: '2', SOAK_DURATION: '6s', THINK: '0.05' },
  cache: { VUS: '3', COLD_ITERATIONS: '2', COLD_DURATION: '4s', WARM_DURATION: '4s', THINK: '0.02' },
  replica: { READ_VUS: '2', WRITE_VUS: '2', DURATION: '5s', THINK: '0.05' },
  'scale-shards': { READ_RATE: '8', WRITE_RATE: '3', DURATION: '4s', MAX_VUS: '8' },
  autoscale: { SPIKE_VUS: '3', BASELINE: '1s', SURGE: '1s', HOLD: '2s', QUIET: '2s', QUIET_THINK: '0.2' },
};

type Summary = NonNullable<RunOutcome['summary']>;

function checksOf(summary: Summary): Array<{ path: string; passes: number; fails: number }> {
  const all: Array<{ path: string; passes: number; fails: number }> = [];
  const walk = (g: Summary['root_group']): void => {
    all.push(...g.checks);
    g.groups.forEach(walk);
  };
  walk(summary.root_group);
  return all;
}

/** The shared verdict: exit 0, every threshold ok, checks ran and none failed. */
function expectPassed(out: RunOutcome): Summary {
  expect(failedThresholds(out)).toEqual([]);
  expect(out.exitCode).toBe(0);
  expect(out.aborted).toBeNull();
  expect(out.thresholds.length).toBeGreaterThan(0);
  const summary = out.summary;
  if (summary === null) throw new Error('no summary');
  const checks = checksOf(summary);
  expect(checks.reduce((n, c) => n + c.passes, 0)).toBeGreaterThan(0);
  expect(checks.filter((c) => c.fails > 0)).toEqual([]);
  return summary;
}

/** Runs a scenario quietly with its short settings; `extra` overrides them. */
function runScenario(name: string, baseUrl: string, extra: Record<string, string> = {}): Promise<RunOutcome> {
  return runScript({
    script: join(SCENARIO_DIR, `${name}.ts`),
    env: { BASE_URL: baseUrl, LATENCY_SCALE: '20', ...SEEDED, ...SHORT[name], ...extra },
    cwd: ROOT,
    quiet: true,
    noSummary: true,
    processEnv: process.env,
    stdout: { write: () => true },
    stderr: { write: () => true },
  });
}

/** The thresholds that failed, as `metric source`. */
function failedThresholds(out: RunOutcome): string[] {
  return out.thresholds.filter((t) => !t.ok).map((t) => `${t.metric} ${t.source}`);
}

function metric(summary: Summary, name: string): Record<string, number> {
  const m = summary.metrics[name];
  if (m === undefined) throw new Error(`metric ${name} missing; have ${Object.keys(summary.metrics).join(', ')}`);
  return m.values;
}

describe('scenarios in the built-in runner against the reference app', () => {
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

  const run = (name: string): Promise<RunOutcome> => runScenario(name, app.url);

  it('smoke: every endpoint once per iteration, all checks pass', async () => {
    const summary = expectPassed(await run('smoke'));
    for (const name of ['login', 'me', 'dashboard', 'series', 'ingest', 'profile_get', 'profile_update', 'external']) {
      expect(metric(summary, `http_req_duration{name:${name}}`)['p(95)']).toBeGreaterThan(0);
    }
    expect(metric(summary, 'http_req_failed').rate).toBe(0);
    expect(metric(summary, 'read_your_writes_ok')).toMatchObject({ rate: 1, passes: 2 });
    expect(metric(summary, 'ingested_points').count).toBe(6);
  });

  it('load: the realistic mix within its per-endpoint thresholds', async () => {
    const summary = expectPassed(await run('load'));
    expect(metric(summary, 'http_req_duration{name:dashboard}')['p(95)']).toBeGreaterThan(0);
    expect(metric(summary, 'http_reqs').count).toBeGreaterThan(50);
    expect(metric(summary, 'vus_max').value).toBe(3);
  });

  it('stress: arrival-rate steps tagged per step, dropped iterations reported', async () => {
    const out = await run('stress');
    const summary = expectPassed(out);
    expect(metric(summary, 'http_req_duration{phase:rate-10}')['p(95)']).toBeGreaterThan(0);
    expect(metric(summary, 'http_req_duration{phase:rate-20}')['p(95)']).toBeGreaterThan(0);
    expect(out.thresholds.map((t) => t.metric)).toContain('dropped_iterations');
  });

  it('spike: baseline, spike and recovery phases all measured', async () => {
    const summary = expectPassed(await run('spike'));
    for (const phase of ['baseline', 'spike', 'recovery']) {
      expect(metric(summary, `http_req_duration{phase:${phase}}`)['p(95)']).toBeGreaterThan(0);
    }
    expect(metric(summary, 'vus_max').value).toBe(5);
  });

  it('soak: early and late thirds both measured', async () => {
    const summary = expectPassed(await run('soak'));
    expect(metric(summary, 'http_req_duration{phase:early}')['p(95)']).toBeGreaterThan(0);
    expect(metric(summary, 'http_req_duration{phase:late}')['p(95)']).toBeGreaterThan(0);
  });

  it('cache: the cold phase misses, the warm phase hits more than 90 %', async () => {
    const summary = expectPassed(await run('cache'));
    const cold = metric(summary, 'cache_hits{phase:cold}');
    const warm = metric(summary, 'cache_hits{phase:warm}');
    expect(cold.passes! + cold.fails!).toBe(12);
    expect(cold.rate).toBeLessThan(0.5);
    expect(warm.fails! + warm.passes!).toBeGreaterThan(50);
    expect(warm.rate).toBeGreaterThan(0.9);
  });

  it('replica: reads without prior writes come from the replica, writers read their writes', async () => {
    const summary = expectPassed(await run('replica'));
    const replica = metric(summary, 'served_by_replica{role:reader}');
    expect(replica.passes! + replica.fails!).toBeGreaterThan(10);
    expect(replica.rate).toBeGreaterThan(0.9);
    const ryw = metric(summary, 'read_your_writes_ok');
    expect(ryw.passes).toBeGreaterThan(5);
    expect(ryw.fails).toBe(0);
  });

  it('scale-shards: reads and writes at constant arrival rates, each with its p95', async () => {
    const summary = expectPassed(await run('scale-shards'));
    expect(metric(summary, 'http_req_duration{kind:read}')['p(95)']).toBeGreaterThan(0);
    expect(metric(summary, 'http_req_duration{kind:write}')['p(95)']).toBeGreaterThan(0);
    expect(metric(summary, 'dropped_iterations').count ?? 0).toBeLessThan(3);
  });
});

describe('scenarios fail when the rule they measure is broken', () => {
  let upstream: UpstreamHandle;
  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterAll(async () => {
    await upstream?.stop();
  });

  it('cache: an app with its cache switched off fails cache_hits{phase:warm}', async () => {
    const app = await startTestApp({ ...process.env, UPSTREAM_URL: upstream.url }, { CACHE_ENABLED: 'false' });
    try {
      const out = await runScenario('cache', app.url, {
        VUS: '2',
        COLD_ITERATIONS: '1',
        COLD_DURATION: '2s',
        WARM_DURATION: '2s',
      });
      expect(out.exitCode).toBe(99);
      expect(failedThresholds(out)).toContain('cache_hits{phase:warm} rate>0.9');
    } finally {
      await app.stop();
    }
  });

  it('autoscale: an app without the auto-scaling supervisor fails checks{name:autoscaling}, the load itself passes', async () => {
    const app = await startTestApp({ ...process.env, UPSTREAM_URL: upstream.url });
    try {
      const out = await runScenario('autoscale', app.url);
      expect(out.exitCode).toBe(99);
      expect(failedThresholds(out)).toContain('checks{name:autoscaling} rate==1');
      // Only the teardown's checks fail: the spike and the quiet tail themselves pass.
      expect(failedThresholds(out).filter((t) => !t.startsWith('checks'))).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('replica: an app without a replica fails served_by_replica', async () => {
    const env = { ...process.env, UPSTREAM_URL: upstream.url, DATABASE_REPLICA_URL: undefined };
    const app = await startTestApp(env);
    try {
      const out = await runScenario('replica', app.url, { DURATION: '2s' });
      expect(out.exitCode).toBe(99);
      expect(failedThresholds(out)).toContain('served_by_replica rate>0.9');
      // Read-your-writes still holds: everything is read from the primary.
      expect(failedThresholds(out)).not.toContain('read_your_writes_ok rate==1');
    } finally {
      await app.stop();
    }
  });
});
