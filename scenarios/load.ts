/**
 * Load: the expected traffic. VUs ramp up to VUS, hold for DURATION and ramp
 * down, each doing the realistic mix (mostly dashboard and series reads) with
 * think time. Thresholds are the API's latency budget per endpoint.
 *   k6 run scenarios/load.ts                       (10 VUs, ~2.5 min)
 *   k6 run -e VUS=20 -e DURATION=5m scenarios/load.ts
 */
import type { Options } from 'k6/options';
import { assertLoopback, envDuration, envFloat, envInt, ms } from './lib/config.ts';
import { mixedIteration } from './lib/workload.ts';

assertLoopback();

const VUS = envInt('VUS', 10);
const THINK = envFloat('THINK', 1);

export const options: Options = {
  scenarios: {
    load: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: envDuration('RAMP_UP', '30s'), target: VUS },
        { duration: envDuration('DURATION', '2m'), target: VUS },
        { duration: envDuration('RAMP_DOWN', '15s'), target: 0 },
      ],
      gracefulRampDown: '10s',
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_failed: ['rate<0.01'],
    http_req_duration: [`p(95)<${ms(400)}`, `p(99)<${ms(1000)}`],
    'http_req_duration{name:dashboard}': [`p(95)<${ms(300)}`],
    'http_req_duration{name:series}': [`p(95)<${ms(400)}`],
    'http_req_duration{name:ingest}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:profile_get}': [`p(95)<${ms(200)}`],
    'http_req_duration{name:profile_update}': [`p(95)<${ms(400)}`],
    'http_req_duration{name:external}': [`p(95)<${ms(300)}`],
    'cache_hits{name:dashboard}': ['rate>0.5'],
    read_your_writes_ok: ['rate>0.99'],
    stale_served: ['rate<0.5'],
  },
};

export default function load(): void {
  mixedIteration({}, THINK);
}
