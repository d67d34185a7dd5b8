/** What `perfkit init` writes: the config file, two k6 scenarios (typed by @types/k6, run by real k6 as they are) and a starter budget. */

/** perfkit.config.json for a URL and its pages. */
export function configFile(url: string, pages: string[]): string {
  const config = {
    $schema: './node_modules/perfkit/perfkit.config.schema.json',
    target: url,
    pages,
    scenarios: ['perf/smoke.ts', 'perf/load.ts'],
    budget: 'perf/budget.json',
  };
  return JSON.stringify(config, null, 2) + '\n';
}

const pagesLiteral = (pages: string[]): string => `[${pages.map((p) => JSON.stringify(p)).join(', ')}]`;

/** perf/smoke.ts: one user opens every page a few times; every answer must be 2xx/3xx. */
export function smokeScenario(url: string, pages: string[]): string {
  return `// Smoke: one user opens every page three times. Run alone: k6 run perf/smoke.ts (or npx perfkit run perf/smoke.ts).
import http from 'k6/http';
import { check } from 'k6';
import type { Options } from 'k6/options';

const BASE_URL = __ENV.BASE_URL || ${JSON.stringify(url)};
const PAGES: string[] = ${pagesLiteral(pages)};

export const options: Options = {
  scenarios: { smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 3, maxDuration: '1m' } },
  thresholds: { checks: ['rate==1'], http_req_failed: ['rate==0'] },
};

export default function (): void {
  for (const page of PAGES) {
    const res = http.get(BASE_URL + page, { tags: { name: page } });
    check(res, { 'status is 2xx/3xx': (r) => r.status >= 200 && r.status < 400 });
  }
}
`;
}

/** perf/load.ts: a constant arrival rate over the pages (RATE per second for DURATION; --ci shortens both). */
export function loadScenario(url: string, pages: string[]): string {
  return `// Load: RATE page requests per second (default 20) for DURATION (default 60s); perfkit loadtest --ci passes
// RATE=10 and DURATION=20s. Run alone: k6 run -e RATE=50 -e DURATION=2m perf/load.ts
import http from 'k6/http';
import { check } from 'k6';
import type { Options } from 'k6/options';

const BASE_URL = __ENV.BASE_URL || ${JSON.stringify(url)};
const PAGES: string[] = ${pagesLiteral(pages)};
const RATE = Number(__ENV.RATE || 20);

export const options: Options = {
  scenarios: {
    load: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '60s',
      preAllocatedVUs: Math.max(2, Math.ceil(RATE / 4)),
      maxVUs: Math.max(10, RATE * 2),
    },
  },
  thresholds: { http_req_failed: ['rate<0.01'] },
};

export default function (): void {
  const page = PAGES[__ITER % PAGES.length] ?? '/';
  const res = http.get(BASE_URL + page, { tags: { name: page } });
  check(res, { 'status is 2xx/3xx': (r) => r.status >= 200 && r.status < 400 });
}
`;
}

/** perf/budget.json: the limits a run is judged by, each explained; tighten them to your app. */
export function starterBudget(): string {
  const budget = {
    $schema: '../node_modules/perfkit/budgets/budget.schema.json',
    description:
      'Starter budget written by perfkit init: web-vitals "good" limits for the pages and a loose error rate and p95 for the load. Tighten each to what your app meets with some headroom; "level": "warn" reports without failing.',
    defaults: { level: 'error', tolerance: '+50%' },
    api: {
      errorRate: { limit: '<= 1%', note: 'share of requests answered 4xx/5xx or not at all' },
      p95: { limit: '<= 500 ms', note: '95th percentile of all request durations under load' },
      checks: { limit: '>= 99%', note: 'the scenarios check every answer for a 2xx/3xx status' },
    },
    frontend: {
      loadTime: {
        limit: '<= 3 s',
        level: 'warn',
        optional: true,
        note: 'page load in a real browser while the load runs',
      },
      lighthouse: {
        scores: { performance: { limit: '>= 0.9', level: 'warn', note: "Lighthouse's band for a good score" } },
        metrics: {
          'largest-contentful-paint': { limit: '<= 2.5 s', note: 'web-vitals: good LCP' },
          'first-contentful-paint': { limit: '<= 1.8 s', note: 'web-vitals: good FCP' },
          'cumulative-layout-shift': { limit: '<= 0.1', note: 'web-vitals: good CLS' },
          'total-blocking-time': { limit: '<= 200 ms', note: 'the lab stand-in for INP (good: under 200 ms)' },
        },
      },
    },
  };
  return JSON.stringify(budget, null, 2) + '\n';
}
