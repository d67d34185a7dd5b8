/** setup() and teardown() on the init VU (__VU 0), bounded by setupTimeout / teardownTimeout. */
import { K6_EXIT_CODE } from '../k6-core/index.ts';
import type { BuiltinEngine } from './engine.ts';

/** Runs setup(); returns its JSON (null when none or aborted), or undefined when it threw. */
export async function runSetup(engine: BuiltinEngine): Promise<string | null | undefined> {
  const vu = engine.initVu!;
  const timer = setTimeout(() => {
    engine.stop(K6_EXIT_CODE.setupTimeout, 'setup() timed out');
    vu.interrupt();
  }, engine.plan.setupTimeoutMs);
  const r = await vu.run({ t: 'setup' }).finally(() => clearTimeout(timer));
  if (r.t === 'result' && r.ok) return (r.value as string | null) ?? null;
  if (r.t === 'result') engine.log('error', r.error ?? 'setup() failed', { source: 'stacktrace' });
  return r.t === 'abort' ? null : undefined;
}

/** Runs teardown(data); an exception makes the run exit 107 as in k6. */
export async function runTeardown(engine: BuiltinEngine, json: string | null): Promise<void> {
  const vu = engine.initVu!;
  const timer = setTimeout(() => vu.interrupt(), engine.plan.teardownTimeoutMs);
  const r = await vu.run({ t: 'teardown', json }).finally(() => clearTimeout(timer));
  if (r.t === 'result' && !r.ok) {
    engine.log('error', r.error ?? 'teardown() failed', { source: 'stacktrace' });
    if (engine.stopCode === null) engine.stopCode = K6_EXIT_CODE.scriptException;
  }
}
