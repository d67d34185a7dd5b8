/**
 * Replica: proves the read/write split.
 *  - readers never write: their database reads (cache misses) must be served
 *    by the replica (X-Served-By: replica), served_by_replica > 0.9.
 *  - writers update their profile and read it straight back: every read must
 *    see the write (read_your_writes_ok == 1), whichever server answers.
 * Readers and writers are different users (VUs map to distinct accounts).
 *   k6 run scenarios/replica.ts
 */
import type { Options } from 'k6/options';
import { assertLoopback, envDuration, envFloat, envInt, ms } from './lib/config.ts';
import { getDashboard, getSeries, updateProfileAndReadBack } from './lib/api.ts';
import { thinkTime, uncachedSeriesQuery, uniqueInBusiness } from './lib/workload.ts';

assertLoopback();

const DURATION = envDuration('DURATION', '30s');
const THINK = envFloat('THINK', 0.2);

/** Passed from setup to every VU: a per-run anchor so reader windows miss the cache on every run. */
interface Data {
  anchor: number;
}

export const options: Options = {
  scenarios: {
    readers: {
      executor: 'constant-vus',
      vus: envInt('READ_VUS', 4),
      duration: DURATION,
      exec: 'reader',
      tags: { role: 'reader' },
    },
    writers: {
      executor: 'constant-vus',
      vus: envInt('WRITE_VUS', 2),
      duration: DURATION,
      exec: 'writer',
      tags: { role: 'writer' },
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_failed: ['rate<0.01'],
    served_by_replica: ['rate>0.9'],
    'served_by_replica{role:reader}': ['rate>0.9'],
    read_your_writes_ok: ['rate==1'],
    'http_req_duration{name:series}': [`p(95)<${ms(500)}`],
    'http_req_duration{name:profile_update}': [`p(95)<${ms(500)}`],
  },
};

export function setup(): Data {
  return { anchor: Math.floor(Date.now() / 1000) * 1000 };
}

export function reader(data: Data): void {
  const tags = { role: 'reader' };
  getSeries(uncachedSeriesQuery(data.anchor, uniqueInBusiness()), { tags });
  getDashboard({ tags });
  thinkTime(THINK);
}

export function writer(): void {
  updateProfileAndReadBack({ tags: { role: 'writer' } });
  thinkTime(THINK);
}
