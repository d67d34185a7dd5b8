/* global __ENV, __ITER, __VU */
// The generic load for any app (`perfkit loadtest --target URL`): a constant arrival rate over the pages
// (RATE iterations per second for DURATION), each iteration one page in turn. PAGES as in smoke.js.
import http from 'k6/http';
import { check } from 'k6';

const PAGES = (__ENV.PAGES || '/').split(',').filter(Boolean);
const RATE = Number(__ENV.RATE || 20);

export const options = {
  scenarios: {
    load: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: Math.max(2, Math.ceil(RATE / 4)),
      maxVUs: Math.max(10, RATE * 2),
    },
  },
};

export default function () {
  const page = PAGES[(__ITER + __VU) % PAGES.length];
  const res = http.get(__ENV.BASE_URL + page, { tags: { name: page } });
  check(res, { 'status is 2xx/3xx': (r) => r.status >= 200 && r.status < 400 });
}
