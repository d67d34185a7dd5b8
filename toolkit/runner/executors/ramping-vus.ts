/**
 * ramping-vus: the number of looping VUs follows k6-core's rampingSteps; VUs
 * taken out finish their iteration within gracefulRampDown, the rest stop
 * within gracefulStop.
 */
import { rampingSteps } from '../../k6-core/index.ts';
import type { VuHandle } from '../vu-pool.ts';
import { bounded, sleepMs, type ScenarioRuntime } from './common.ts';

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
    // A step at the very end of the stages (2 → 3 VUs over 3 s adds the 3rd VU at 3 s) starts no VU in
    // k6: its regular duration is over, so the VU only counts in vus_max.
    if (step.at >= totalMs && step.vus > active) break;
    await sleepMs(start + step.at - Date.now(), rt.signal);
    if (rt.signal.aborted) break;
    while (active < step.vus && active < rt.vus.length) activate(rt.vus[active++]!);
    while (active > step.vus) deactivate(rt.vus[--active]!);
  }
  await sleepMs(start + totalMs - Date.now(), rt.signal);
  for (let i = 0; i < active; i++) rt.vus[i]!.softStop();
  await Promise.all(all);
}
