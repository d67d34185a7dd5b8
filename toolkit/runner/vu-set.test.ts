/** The run's stop controller and VU set: first stop reason wins; no VU worker outlives the run. */
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForRunner } from './bundle.ts';
import { HttpIo } from './http-io.ts';
import { StopController } from './stop-controller.ts';
import { VuSet } from './vu-set.ts';
import { spawnVu, type PoolConfig } from './vu-pool.ts';

const FIX = join(import.meta.dirname, 'fixtures');

describe('StopController', () => {
  it('keeps the first code and reason, and aborts its signal once', () => {
    const stop = new StopController();
    expect([stop.code, stop.reason, stop.signal.aborted]).toEqual([null, null, false]);
    stop.stop(108, 'test aborted: enough');
    stop.stop(99, 'thresholds crossed (abortOnFail)');
    expect([stop.code, stop.reason, stop.signal.aborted]).toEqual([108, 'test aborted: enough', true]);
  });

  it('fail() records a code without stopping; halt() stops without a code', () => {
    const failed = new StopController();
    failed.fail(107);
    expect([failed.code, failed.reason, failed.signal.aborted]).toEqual([107, null, false]);
    const halted = new StopController();
    halted.halt();
    expect([halted.code, halted.reason, halted.signal.aborted]).toEqual([null, null, true]);
  });
});

describe('VuSet', () => {
  const io = new HttpIo();
  let pool: PoolConfig;

  beforeAll(async () => {
    const bundlePath = await bundleForRunner(join(FIX, 'generic.js'));
    const hooks = {
      onSamples: () => undefined,
      onMetric: () => undefined,
      onLog: () => undefined,
      onAbort: () => undefined,
    };
    pool = { bundlePath, env: {}, scriptDir: FIX, testTags: {}, options: {}, io, hooks, vuSocketAddon: null };
  });

  afterAll(async () => {
    await io.close();
    await rm(dirname(pool.bundlePath), { recursive: true, force: true });
  });

  it('numbers load VUs from 1 and terminates every one, the kept init VU too', async () => {
    const set = new VuSet();
    const { vu: init } = await spawnVu(pool, 0);
    set.keep(init);
    const first = await set.spawn(pool, 2);
    const more = await set.spawnOne(pool);
    expect([...first, more].map((v) => v.id)).toEqual([1, 2, 3]);
    expect(set.list()).toHaveLength(3);
    await set.terminateAll();
    await new Promise((r) => setTimeout(r, 50));
    expect([init, ...set.list()].every((v) => v.exited)).toBe(true);
  }, 30_000);

  it('a VU still starting when the run ends is terminated once it is up, not left running', async () => {
    const set = new VuSet();
    const late = set.spawnOne(pool);
    await set.terminateAll();
    await expect(late).rejects.toThrow(/started after the run ended/);
    await new Promise((r) => setTimeout(r, 50));
    expect(set.list()).toHaveLength(1);
    expect(set.list()[0]?.exited).toBe(true);
  }, 30_000);
});
