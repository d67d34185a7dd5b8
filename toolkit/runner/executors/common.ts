/** What every executor gets from the engine, and helpers to bound a VU's work in time. */
import type { ScenarioPlan } from '../../k6-core/index.ts';
import type { RunSpec } from '../protocol.ts';
import type { CommandResult, VuHandle } from '../vu-pool.ts';

/** One scenario's run as its executor sees it: plan, VUs, the run spec VUs get, the stop signal, callbacks. */
export interface ScenarioRuntime {
  plan: ScenarioPlan;
  /** The scenario's own VUs, initialised before the test started. */
  vus: VuHandle[];
  /** Starts one more VU (arrival-rate executors up to maxVUs). */
  addVu(): Promise<VuHandle>;
  run: RunSpec;
  /** Aborted when the whole test stops early (threshold abortOnFail, signal, exec.test.abort). */
  signal: AbortSignal;
  onDropped(count: number): void;
  /** A warning about this scenario, logged with its executor and scenario names as k6 does. */
  warn(message: string): void;
  onIterations(done: number, interrupted: number): void;
}

export const sleepMs = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Waits for a VU's command; interrupts it at `hardStopAt` (epoch ms) or when the
 * test aborts, so no iteration outlives its graceful stop.
 */
export async function bounded(
  vu: VuHandle,
  work: Promise<CommandResult>,
  hardStopAt: number,
  signal: AbortSignal,
  rt: ScenarioRuntime,
): Promise<void> {
  let killer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    vu.interrupt();
    // A VU spinning in pure JS never reaches an http call or sleep to notice: end its worker.
    killer ??= setTimeout(() => void vu.terminateStuck(rt.run.scenario, rt.run.tags), 2000);
  };
  const timer = setTimeout(stop, Math.max(0, hardStopAt - Date.now()));
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  try {
    const r = await work;
    if (r.t === 'done') rt.onIterations(r.iterations, r.interrupted);
  } finally {
    clearTimeout(timer);
    clearTimeout(killer);
    signal.removeEventListener('abort', stop);
  }
}
