/** shared-iterations, per-vu-iterations and constant-vus: each VU loops on its own until told otherwise. */
import type { ScenarioRuntime } from './common.ts';
import { bounded } from './common.ts';

export async function runLoopExecutor(rt: ScenarioRuntime): Promise<void> {
  const p = rt.plan;
  const start = Date.now();
  const timed = p.executor === 'constant-vus';
  const endAt = start + (timed ? p.durationMs : p.maxDurationMs);
  const cmd = {
    t: 'loop' as const,
    run: rt.run,
    endAt,
    perVu: p.executor === 'per-vu-iterations' ? p.iterations : 0,
    sharedTotal: p.executor === 'shared-iterations' ? p.iterations : 0,
  };
  if (cmd.sharedTotal === 0 && cmd.perVu === 0 && !timed) return;
  await Promise.all(rt.vus.map((vu) => bounded(vu, vu.run(cmd), endAt + p.gracefulStopMs, rt.signal, rt)));
}
