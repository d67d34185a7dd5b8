/**
 * ramping-vus' schedule: going from a to b VUs over d, k6 changes the count by
 * one every d/|b-a|.
 */
import type { ScenarioPlan } from '../options/index.ts';

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
