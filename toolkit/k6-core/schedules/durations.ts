/** How long scenarios last and how many VUs they start with, from their plans alone. */
import type { ScenarioPlan } from '../options/index.ts';

/** How many VUs a scenario initialises before the test starts (arrival-rate ones may grow to maxVUs). */
export function initialVus(s: ScenarioPlan): number {
  switch (s.executor) {
    case 'ramping-vus':
      return Math.max(s.startVUs, ...s.stages.map((st) => st.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return s.preAllocatedVUs;
    default:
      return s.vus;
  }
}

/** A scenario's planned length without graceful stops (what progress shows as the total). */
export function scenarioNominalMs(s: ScenarioPlan): number {
  const stagesMs = s.stages.reduce((a, st) => a + st.durationMs, 0);
  if (s.executor === 'ramping-vus' || s.executor === 'ramping-arrival-rate') return stagesMs;
  if (s.executor === 'shared-iterations' || s.executor === 'per-vu-iterations') return s.maxDurationMs;
  return s.durationMs;
}

/** The longest a scenario can run, from its own start, including its graceful stop. */
export function scenarioMaxMs(s: ScenarioPlan): number {
  const stagesMs = s.stages.reduce((a, st) => a + st.durationMs, 0);
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return s.maxDurationMs + s.gracefulStopMs;
    case 'ramping-vus':
      return stagesMs + s.gracefulStopMs + s.gracefulRampDownMs;
    case 'ramping-arrival-rate':
      return stagesMs + s.gracefulStopMs;
    default:
      return s.durationMs + s.gracefulStopMs;
  }
}
