/**
 * Scale-shards: per-business reads and writes at a constant arrival rate, to
 * compare one database shard with several (`npm run loadtest -- --scenario
 * scale-shards --compare-shards 1,2` runs it once per shard count, same rates).
 * Reads are series windows nobody asked for before (cache misses, so they
 * reach the business's shard); writes ingest points into the business's shard.
 * VUs are spread over every business, so every shard gets its share.
 *   k6 run scenarios/scale-shards.ts                       (40 reads/s + 10 writes/s, 30 s)
 *   k6 run -e READ_RATE=80 -e WRITE_RATE=20 scenarios/scale-shards.ts
 */
import type { Options } from 'k6/options';
import { assertLoopback, durationSeconds, envDuration, envInt, ms } from './lib/config.ts';
import { getSeries, ingest } from './lib/api.ts';
import { adoptSession, loginPool } from './lib/session.ts';
import type { Session } from './lib/session.ts';
import { uncachedSeriesQuery, uniqueInBusiness } from './lib/workload.ts';

assertLoopback();

const READ_RATE = Math.max(1, envInt('READ_RATE', 40));
const WRITE_RATE = Math.max(1, envInt('WRITE_RATE', 10));
const DURATION = envDuration('DURATION', '30s');
const MAX_VUS = envInt('MAX_VUS', 60);

export const options: Options = {
  scenarios: {
    reads: {
      executor: 'constant-arrival-rate',
      rate: READ_RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.ceil(MAX_VUS * 0.6),
      maxVUs: MAX_VUS,
      exec: 'reads',
      tags: { kind: 'read' },
    },
    writes: {
      executor: 'constant-arrival-rate',
      rate: WRITE_RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.ceil(MAX_VUS * 0.2),
      maxVUs: Math.ceil(MAX_VUS * 0.4),
      exec: 'writes',
      tags: { kind: 'write' },
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_failed: ['rate<0.01'],
    'http_req_duration{kind:read}': [`p(95)<${ms(500)}`],
    'http_req_duration{kind:write}': [`p(95)<${ms(800)}`],
    // Holding the arrival rate is the point: at most 5 % of the planned iterations may be dropped for want of a free VU.
    dropped_iterations: [
      `count<${Math.max(1, Math.ceil((READ_RATE + WRITE_RATE) * durationSeconds(DURATION) * 0.05))}`,
    ],
  },
};

/** Passed from setup to every VU: sessions logged in before the clock starts, and a per-run anchor for cache-missing windows. */
interface Data {
  sessions: Session[];
  anchor: number;
}

export function setup(): Data {
  return { sessions: loginPool(MAX_VUS * 2), anchor: Math.floor(Date.now() / 1000) * 1000 };
}

export function reads(data: Data): void {
  adoptSession(data.sessions);
  getSeries(uncachedSeriesQuery(data.anchor, uniqueInBusiness()), { tags: { kind: 'read' } });
}

export function writes(data: Data): void {
  adoptSession(data.sessions);
  ingest(5, { tags: { kind: 'write' } });
}
