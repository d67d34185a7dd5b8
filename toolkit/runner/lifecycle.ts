/** setup() and teardown() on the init VU (__VU 0), bounded by setupTimeout / teardownTimeout. */
import { K6_EXIT_CODE } from '../k6-core/index.ts';
import type { Log } from './log.ts';
import type { PreparedRun } from './prepare.ts';
import type { StopController } from './stop-controller.ts';
import type { CommandResult, VuHandle } from './vu-pool.ts';

/** How k6 2.x tags a script's exception. */
const SCRIPT_EXCEPTION = { hint: 'script exception', source: 'stacktrace' };

/** setup()'s data as JSON (null when there is no setup() or it was aborted), or that it threw. */
export type SetupResult = { ok: true; json: string | null } | { ok: false };

/** How long a lifecycle function may go on after a stop interrupted it (a busy loop never sees the interrupt). */
const STOP_GRACE_MS = 1000;

/**
 * A signal that comes while setup() or teardown() runs interrupts it at its next sleep or request; one
 * that does not return within a second is ended with its worker. (k6 waits for teardown() after a
 * signal; a run here stops promptly in every phase.) A run stopped before, by a signal, abortOnFail or
 * exec.test.abort(), still runs its teardown() as k6 does.
 */
export function untilStopped(vu: VuHandle, stop: StopController, cmd: Promise<CommandResult>): Promise<CommandResult> {
  let timer: NodeJS.Timeout | undefined;
  const onStop = (): void => {
    if (stop.code !== K6_EXIT_CODE.externalAbort) return;
    vu.interrupt();
    timer = setTimeout(() => void vu.terminate(), STOP_GRACE_MS);
  };
  if (!stop.signal.aborted) stop.signal.addEventListener('abort', onStop, { once: true });
  return cmd.finally(() => {
    clearTimeout(timer);
    stop.signal.removeEventListener('abort', onStop);
  });
}

/** Runs setup(); a timeout stops the run with k6's exit 100. */
export async function runSetup(prepared: PreparedRun, stop: StopController, log: Log): Promise<SetupResult> {
  const vu = prepared.initVu;
  const timer = setTimeout(() => {
    stop.stop(K6_EXIT_CODE.setupTimeout, 'setup() timed out');
    vu.interrupt();
  }, prepared.plan.setupTimeoutMs);
  const r = await untilStopped(vu, stop, vu.run({ t: 'setup' })).finally(() => clearTimeout(timer));
  if (r.t === 'result' && r.ok) return { ok: true, json: (r.value as string | null) ?? null };
  if (r.t === 'result' && r.error !== undefined) log('error', r.error, SCRIPT_EXCEPTION);
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
  const r = await untilStopped(vu, stop, vu.run({ t: 'teardown', json })).finally(() => clearTimeout(timer));
  // Interrupted by a stop (no error of its own): the stop says why.
  if (r.t === 'result' && !r.ok && r.error !== undefined) {
    log('error', r.error, SCRIPT_EXCEPTION);
    stop.fail(K6_EXIT_CODE.scriptException);
  }
}
