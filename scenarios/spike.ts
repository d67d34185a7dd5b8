/**
 * Spike: a steady trickle of users, a sudden surge to SPIKE_VUS, then back.
 * Requests carry `phase:baseline|spike|recovery`; the recovery threshold
 * checks the app returns to baseline latency once the surge is over.
 *   k6 run scenarios/spike.ts                      (2 → 30 VUs, ~1.5 min)
 */
import type { Options } from 'k6/options';
import { assertLoopback, envDuration, envFloat, envInt, ms } from './lib/config.ts';
import { phaseTags } from './lib/phases.ts';
import type { Phase } from './lib/phases.ts';
import { mixedIteration } from './lib/workload.ts';

assertLoopback();

const BASE_VUS = Math.max(1, envInt('BASE_VUS', 2));
const SPIKE_VUS = envInt('SPIKE_VUS', 30);
const THINK = envFloat('THINK', 0.5);
const BASELINE = envDuration('BASELINE', '20s');
const SURGE = envDuration('SURGE', '5s');
const HOLD = envDuration('HOLD', '20s');
const RECOVERY = envDuration('RECOVERY', '30s');

const stages = [
  { duration: BASELINE, target: BASE_VUS },
  { duration: SURGE, target: SPIKE_VUS },
  { duration: HOLD, target: SPIKE_VUS },
  { duration: SURGE, target: BASE_VUS },
  { duration: RECOVERY, target: BASE_VUS },
];

/** The surge's ramp-down still counts as the spike: recovery starts once VUs are back to baseline. */
const phases: Phase[] = [
  { name: 'baseline', duration: BASELINE },
  { name: 'spike', duration: SURGE },
  { name: 'spike', duration: HOLD },
  { name: 'spike', duration: SURGE },
  { name: 'recovery', duration: RECOVERY },
];

export const options: Options = {
  scenarios: {
    spike: { executor: 'ramping-vus', startVUs: BASE_VUS, stages, gracefulRampDown: '5s' },
  },
  thresholds: {
    http_req_failed: ['rate<0.05'],
    checks: ['rate>0.95'],
    'http_req_duration{phase:baseline}': [`p(95)<${ms(500)}`],
    'http_req_duration{phase:spike}': [`p(95)<${ms(2000)}`],
    'http_req_duration{phase:recovery}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:dashboard}': [`p(95)<${ms(1000)}`],
  },
};

export default function spike(): void {
  mixedIteration({ tags: phaseTags(phases) }, THINK);
}
