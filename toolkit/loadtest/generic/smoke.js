/* global __ENV */
// The generic smoke pass for any app (`perfkit loadtest --target URL`): one user opens every page a few
// times. PAGES is a comma-separated list of paths (default /); a 2xx or 3xx answer passes.
import http from 'k6/http';
import { check } from 'k6';

const PAGES = (__ENV.PAGES || '/').split(',').filter(Boolean);

export const options = {
  scenarios: {
    smoke: { executor: 'per-vu-iterations', vus: 1, iterations: Number(__ENV.ITERATIONS || 3), maxDuration: '1m' },
  },
};

export default function () {
  for (const page of PAGES) {
    const res = http.get(__ENV.BASE_URL + page, { tags: { name: page } });
    check(res, { 'status is 2xx/3xx': (r) => r.status >= 200 && r.status < 400 });
  }
}
