/**
 * Smoke: one user calls every endpoint a few times. Proves the target is up
 * and every script path works before a bigger test; any failure fails it.
 *   k6 run scenarios/smoke.ts            (ITERATIONS=3)
 */
import type { Options } from 'k6/options';
import { assertLoopback, envInt, ms } from './lib/config.ts';
import {
  getDashboard,
  getExternalRates,
  getMe,
  getProfile,
  getSeries,
  ingest,
  updateProfileAndReadBack,
} from './lib/api.ts';
import { browserSeriesQuery } from './lib/workload.ts';

assertLoopback();

export const options: Options = {
  scenarios: {
    smoke: { executor: 'per-vu-iterations', vus: 1, iterations: envInt('ITERATIONS', 3), maxDuration: '1m' },
  },
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    read_your_writes_ok: ['rate==1'],
    http_req_duration: [`p(95)<${ms(1000)}`],
    'http_req_duration{name:login}': [`p(95)<${ms(1000)}`],
    'http_req_duration{name:dashboard}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:series}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:ingest}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:profile_get}': [`p(95)<${ms(300)}`],
    'http_req_duration{name:profile_update}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:external}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:me}': [`p(95)<${ms(300)}`],
  },
};

export default function smoke(): void {
  getMe();
  getDashboard();
  getSeries(browserSeriesQuery());
  getProfile();
  updateProfileAndReadBack();
  ingest(3);
  getDashboard();
  getExternalRates();
}
