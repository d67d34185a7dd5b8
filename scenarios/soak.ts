/**
 * Soak: a moderate, constant load for a long time (SOAK_DURATION, default 10m)
 * to surface leaks, pool exhaustion and cache growth. Requests carry
 * `phase:early|middle|late` (thirds of the run); the late third must stay
 * within the same latency budget as the early one.
 *   k6 run -e SOAK_DURATION=1h scenarios/soak.ts
 */
import type { Options } from 'k6/options';
import { assertLoopback, durationSeconds, envDuration, envFloat, envInt, ms } from './lib/config.ts';
import { phaseTags } from './lib/phases.ts';
import type { Phase } from './lib/phases.ts';
import { mixedIteration } from './lib/workload.ts';

assertLoopback();

const DURATION = envDuration('SOAK_DURATION', '10m');
const THINK = envFloat('THINK', 1);
const third = `${durationSeconds(DURATION) / 3}s`;
const phases: Phase[] = [
  { name: 'early', duration: third },
  { name: 'middle', duration: third },
  { name: 'late', duration: third },
];

export const options: Options = {
  scenarios: {
    soak: { executor: 'constant-vus', vus: envInt('VUS', 5), duration: DURATION, gracefulStop: '10s' },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    read_your_writes_ok: ['rate>0.99'],
    'http_req_duration{phase:early}': [`p(95)<${ms(400)}`],
    'http_req_duration{phase:late}': [`p(95)<${ms(400)}`],
    'http_req_duration{name:dashboard}': [`p(95)<${ms(300)}`],
  },
};

export default function soak(): void {
  mixedIteration({ tags: phaseTags(phases) }, THINK);
}
