/** setup() and teardown() on the init VU (__VU 0), bounded by setupTimeout / teardownTimeout. */
import { K6_EXIT_CODE } from '../k6-core/index.ts';
import type { Log } from './log.ts';
import type { PreparedRun } from './prepare.ts';
import type { StopController } from './stop-controller.ts';

/** setup()'s data as JSON (null when there is no setup() or it was aborted), or that it threw. */
export type SetupResult = { ok: true; json: string | null } | { ok: false };

/** Runs setup(); a timeout stops the run with k6's exit 100. */
export async function runSetup(prepared: PreparedRun, stop: StopController, log: Log): Promise<SetupResult> {
  const vu = prepared.initVu;
  const timer = setTimeout(() => {
    stop.stop(K6_EXIT_CODE.setupTimeout, 'setup() timed out');
    vu.interrupt();
  }, prepared.plan.setupTimeoutMs);
  const r = await vu.run({ t: 'setup' }).finally(() => clearTimeout(timer));
  if (r.t === 'result' && r.ok) return { ok: true, json: (r.value as string | null) ?? null };
  if (r.t === 'result') log('error', r.error ?? 'setup() failed', { source: 'stacktrace' });
  return r.t === 'abort' ? { ok: true, json: null } : { ok: false };
}

/** Runs teardown(data); an exception makes the run exit 107 as in k6. */
export async function runTeardown(
  prepared: PreparedRun,
  json: string | null,
  stop: StopController,
  log: Log,
): Promise<void> {
  const vu = prepared.initVu;
  const timer = setTimeout(() => vu.interrupt(), prepared.plan.teardownTimeoutMs);
  const r = await vu.run({ t: 'teardown', json }).finally(() => clearTimeout(timer));
  if (r.t === 'result' && !r.ok) {
    log('error', r.error ?? 'teardown() failed', { source: 'stacktrace' });
    stop.fail(K6_EXIT_CODE.scriptException);
  }
}
