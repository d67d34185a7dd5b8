/**
 * ramping-vus: the number of looping VUs follows the stages. Going from a to b
 * VUs over d, k6 changes the count by one every d/|b-a|; VUs taken out finish
 * their iteration within gracefulRampDown, the rest stop within gracefulStop.
 */
import type { ScenarioPlan } from '../options.ts';
import type { VuHandle } from '../vu-pool.ts';
import { bounded, sleepMs, type ScenarioRuntime } from './common.ts';

/** (offset ms, VU count) steps of a ramping-vus scenario, starting with startVUs at 0. */
export function rampingSteps(p: ScenarioPlan): Array<{ at: number; vus: number }> {
  const steps = [{ at: 0, vus: p.startVUs }];
  let from = p.startVUs;
  let t = 0;
  for (const st of p.stages) {
    const diff = st.target - from;
    if (st.durationMs === 0 || diff === 0) {
      if (diff !== 0) steps.push({ at: t, vus: st.target });
    } else {
      const every = st.durationMs / Math.abs(diff);
      for (let i = 1; i <= Math.abs(diff); i++) steps.push({ at: t + every * i, vus: from + Math.sign(diff) * i });
    }
    t += st.durationMs;
    from = st.target;
  }
  return steps;
}

export async function runRampingVus(rt: ScenarioRuntime): Promise<void> {
  const p = rt.plan;
  const start = Date.now();
  const totalMs = p.stages.reduce((a, s) => a + s.durationMs, 0);
  const hardEnd = start + totalMs + p.gracefulStopMs;
  const running = new Map<VuHandle, Promise<void>>();
  const all: Array<Promise<void>> = [];
  const activate = (vu: VuHandle): void => {
    const prev = running.get(vu) ?? Promise.resolve();
    const next = prev.then(() =>
      rt.signal.aborted
        ? undefined
        : bounded(vu, vu.run({ t: 'loop', run: rt.run, endAt: 0, perVu: 0, sharedTotal: 0 }), hardEnd, rt.signal, rt),
    );
    running.set(vu, next);
    all.push(next);
  };
  const deactivate = (vu: VuHandle): void => {
    vu.softStop();
    const timer = setTimeout(() => vu.interrupt(), p.gracefulRampDownMs);
    void running.get(vu)?.finally(() => clearTimeout(timer));
  };
  let active = 0;
  for (const step of rampingSteps(p)) {
    await sleepMs(start + step.at - Date.now(), rt.signal);
    if (rt.signal.aborted) break;
    while (active < step.vus && active < rt.vus.length) activate(rt.vus[active++]!);
    while (active > step.vus) deactivate(rt.vus[--active]!);
  }
  await sleepMs(start + totalMs - Date.now(), rt.signal);
  for (let i = 0; i < active; i++) rt.vus[i]!.softStop();
  await Promise.all(all);
}
