/**
 * Cache: proves the Redis cache serves repeated reads, from X-Cache.
 *  - cold: each VU first writes a metric point (which invalidates its
 *    business's `metrics` entries), then reads the dashboard and a series
 *    window no one has asked for: these must miss.
 *  - warm (starts after cold): the same VUs read the dashboard and one fixed
 *    series window over and over without writing: these must hit.
 * Compare http_req_duration{phase:cold} with {phase:warm} in the summary.
 *   k6 run scenarios/cache.ts
 */
import type { Options } from 'k6/options';
import { assertLoopback, durationSeconds, envDuration, envFloat, envInt, ms } from './lib/config.ts';
import { getDashboard, getSeries, ingest } from './lib/api.ts';
import { thinkTime, uncachedSeriesQuery, uniqueInBusiness } from './lib/workload.ts';
import type { SeriesQuery } from './lib/types.ts';

assertLoopback();

const VUS = Math.max(1, envInt('VUS', 5));
const COLD_DURATION = envDuration('COLD_DURATION', '15s');
const WARM_DURATION = envDuration('WARM_DURATION', '30s');
const THINK = envFloat('THINK', 0.2);

/** Passed from setup to every VU: a per-run anchor so series windows are new to the cache on every run. */
interface Data {
  anchor: number;
}

export const options: Options = {
  scenarios: {
    cold: {
      executor: 'per-vu-iterations',
      vus: VUS,
      iterations: envInt('COLD_ITERATIONS', 3),
      maxDuration: COLD_DURATION,
      exec: 'cold',
      tags: { phase: 'cold' },
    },
    warm: {
      executor: 'constant-vus',
      vus: VUS,
      duration: WARM_DURATION,
      // A second after the cold phase's longest possible run, so no write overlaps a warm read.
      startTime: `${durationSeconds(COLD_DURATION) + 1}s`,
      exec: 'warm',
      tags: { phase: 'warm' },
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_failed: ['rate<0.01'],
    'cache_hits{phase:warm}': ['rate>0.9'],
    'cache_hits{phase:cold}': ['rate<0.5'],
    'http_req_duration{phase:cold}': [`p(95)<${ms(1000)}`],
    'http_req_duration{phase:warm}': [`p(95)<${ms(200)}`],
  },
};

export function setup(): Data {
  // Whole seconds: the anchor is part of cache keys, and runs a second apart must not share them.
  return { anchor: Math.floor(Date.now() / 1000) * 1000 };
}

/** The one series window every warm read asks for. */
function warmQuery(data: Data): SeriesQuery {
  return { ...uncachedSeriesQuery(data.anchor, 0), metric: 'revenue' };
}

export function cold(data: Data): void {
  const tags = { phase: 'cold' };
  ingest(1, { tags });
  getDashboard({ tags });
  // Hours past the warm window (n ≥ 8 shifts it back), unique per iteration.
  getSeries(uncachedSeriesQuery(data.anchor, 8 * (1 + uniqueInBusiness())), { tags });
  thinkTime(THINK);
}

export function warm(data: Data): void {
  const tags = { phase: 'warm' };
  getDashboard({ tags });
  getSeries(warmQuery(data), { tags });
  thinkTime(THINK);
}
