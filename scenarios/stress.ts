/**
 * Stress: an open model that raises the arrival rate step by step past what
 * the app can serve, to find the knee. Each step ramps for STEP_RAMP and holds
 * for STEP_HOLD; requests carry `phase:rate-<n>` so the summary shows p(95) per
 * step, and dropped_iterations counts iterations the VU pool could not start.
 * VUs are logged in during setup() so new VUs joining mid-test do not turn
 * the test into a password-hashing benchmark.
 *   k6 run scenarios/stress.ts                     (up to 200 it/s, ~3 min)
 *   k6 run -e RATE=400 -e MAX_VUS=200 scenarios/stress.ts
 */
import type { Options } from 'k6/options';
import type { Threshold } from 'k6/options';
import { assertLoopback, durationSeconds, envDuration, envInt, ms } from './lib/config.ts';
import { phaseTags } from './lib/phases.ts';
import { adoptSession, loginPool } from './lib/session.ts';
import type { Session } from './lib/session.ts';
import type { Phase } from './lib/phases.ts';
import { mixedIteration } from './lib/workload.ts';

assertLoopback();

const RATE = envInt('RATE', 200);
const MAX_VUS = envInt('MAX_VUS', 100);
const STEPS = Math.max(1, envInt('STEPS', 4));
const STEP_RAMP = envDuration('STEP_RAMP', '10s');
const STEP_HOLD = envDuration('STEP_HOLD', '30s');

/** The target rate of each step: RATE/STEPS, 2·RATE/STEPS, …, RATE. */
const targets = Array.from({ length: STEPS }, (_, i) => Math.max(1, Math.round((RATE * (i + 1)) / STEPS)));

const stages = targets.flatMap((target) => [
  { duration: STEP_RAMP, target },
  { duration: STEP_HOLD, target },
]);

/** A step's ramp and hold share its tag: it is the load level being approached. */
const phases: Phase[] = targets.map((target) => ({
  name: `rate-${target}`,
  duration: `${durationSeconds(STEP_RAMP) + durationSeconds(STEP_HOLD)}s`,
}));

/** Iterations the schedule asks for: the area under the rate curve. */
function plannedIterations(): number {
  let previous = 0;
  let total = 0;
  for (const s of stages) {
    total += ((previous + s.target) / 2) * durationSeconds(s.duration);
    previous = s.target;
  }
  return total;
}

const perStep: Record<string, Threshold[]> = {};
for (const p of phases) perStep[`http_req_duration{phase:${p.name}}`] = [`p(95)<${ms(1500)}`];

export const options: Options = {
  scenarios: {
    stress: {
      executor: 'ramping-arrival-rate',
      startRate: 1,
      timeUnit: '1s',
      preAllocatedVUs: envInt('PRE_VUS', 20),
      maxVUs: MAX_VUS,
      stages,
    },
  },
  thresholds: {
    http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '10s' }],
    checks: ['rate>0.95'],
    http_req_duration: [`p(95)<${ms(1500)}`],
    // At most 5 % of the planned iterations may be dropped for want of a free VU.
    dropped_iterations: [`count<${Math.max(1, Math.ceil(plannedIterations() * 0.05))}`],
    ...perStep,
  },
};

/** Sessions logged in before the clock starts (see loginPool). */
interface Data {
  sessions: Session[];
}

export function setup(): Data {
  return { sessions: loginPool(MAX_VUS) };
}

export default function stress(data: Data): void {
  adoptSession(data.sessions);
  // No think time: the executor paces arrivals, a VU only serves one.
  mixedIteration({ tags: phaseTags(phases) }, 0);
}
