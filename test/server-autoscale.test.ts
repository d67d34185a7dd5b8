/**
 * `npm run app -- --min-instances 1 --max-instances 3`: the supervisor adds
 * instances under a CPU load (the test-only burn route) and removes them once
 * the load is gone, without failing requests that are in flight.
 * Short windows and cool-down come from the environment.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnManaged } from '../toolkit/process/managed.ts';
import type { ManagedProcess } from '../toolkit/process/managed.ts';
import { freePort } from '../toolkit/process/ports.ts';

const ROOT = join(import.meta.dirname, '..');

interface Autoscaling {
  min: number;
  max: number;
  current: number;
  decisions: { at: string; action: 'up' | 'down'; reason: string; from: number; to: number }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('auto-scaling supervisor', () => {
  let proc: ManagedProcess;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoscale-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    proc = await spawnManaged({
      name: 'app-autoscale',
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join(ROOT, 'scripts/app.ts'),
        '--min-instances',
        '1',
        '--max-instances',
        '3',
        '--port',
        String(port),
      ],
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'],
        DATABASE_URL: process.env['DATABASE_URL'],
        DATABASE_REPLICA_URL: process.env['DATABASE_REPLICA_URL'],
        REDIS_URL: process.env['REDIS_URL'],
        UPSTREAM_URL: 'http://127.0.0.1:9',
        LOG_LEVEL: 'error',
        DEBUG_BURN_ROUTE: 'true',
        AUTOSCALE_SAMPLE_MS: '500',
        AUTOSCALE_UP_READINGS: '3',
        AUTOSCALE_DOWN_READINGS: '4',
        AUTOSCALE_COOLDOWN_MS: '2000',
        AUTOSCALE_UP_CPU_PERCENT: '50',
        AUTOSCALE_DOWN_CPU_PERCENT: '20',
      },
      readyLog: /"autoscaling"/,
      readyTimeoutMs: 60_000,
      logFile: join(dir, 'app.log'),
    });
  }, 90_000);
  afterAll(async () => {
    await proc?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const autoscaling = async (): Promise<Autoscaling> => {
    const body = (await (await fetch(`${url}/api/performance`)).json()) as { autoscaling?: Autoscaling };
    if (!body.autoscaling) throw new Error('/api/performance has no autoscaling section');
    return body.autoscaling;
  };

  /** Polls until `until` holds or the deadline passes; returns the last reading. */
  const waitFor = async (until: (a: Autoscaling) => boolean, deadlineMs: number): Promise<Autoscaling> => {
    const end = Date.now() + deadlineMs;
    let a = await autoscaling();
    while (!until(a) && Date.now() < end) {
      await sleep(300);
      a = await autoscaling();
    }
    return a;
  };

  it('scales up under CPU load and back down after it, with every request answered', async () => {
    expect(await autoscaling()).toMatchObject({ min: 1, max: 3, current: 1, decisions: [] });

    // A light trickle runs through the whole test: draining instances must still answer it.
    let trickleStop = false;
    const trickleFailures: string[] = [];
    let trickleCount = 0;
    const trickle = (async () => {
      while (!trickleStop && trickleCount < 2000) {
        trickleCount += 1;
        const r = await fetch(`${url}/api/debug/burn?ms=1`).catch((err: Error) => ({ ok: false, status: err.message }));
        if (!r.ok) trickleFailures.push(String(r.status));
        await sleep(100);
      }
    })();

    // Heavy load: 6 concurrent loops of 40 ms CPU bursts, bounded by time and count.
    let stop = false;
    let sent = 0;
    const burn = Array.from({ length: 6 }, async () => {
      while (!stop && sent < 5000) {
        sent += 1;
        await fetch(`${url}/api/debug/burn?ms=40`)
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
      }
    });
    const scaled = await waitFor((a) => a.current >= 2, 30_000);
    stop = true;
    await Promise.all(burn);
    expect(scaled.current).toBeGreaterThanOrEqual(2);
    const up = scaled.decisions.find((d) => d.action === 'up');
    expect(up).toMatchObject({ from: 1, to: 2 });
    expect(up?.reason).toMatch(/for 3 readings/);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^app_instances [23]$/m);
    expect(metrics).toMatch(/^app_scale_decisions_total\{action="up"\} [12]$/m);

    const back = await waitFor((a) => a.current === 1, 40_000);
    trickleStop = true;
    await trickle;
    expect(back.current).toBe(1);
    expect(back.decisions.at(-1)).toMatchObject({ action: 'down', to: 1 });
    expect(trickleFailures).toEqual([]);
    expect(trickleCount).toBeGreaterThan(10);

    // One JSON line per decision on stderr.
    await sleep(200);
    const stderr = (await readFile(join(dir, 'app.log'), 'utf8')).split('\n');
    const logged = stderr.flatMap((l) =>
      l.includes('"msg":"autoscale"') ? [JSON.parse(l) as { action: string; from: number; to: number }] : [],
    );
    expect(logged.map((l) => l.action)).toEqual(back.decisions.map((d) => d.action));
  }, 120_000);
});
