/**
 * Autoscale: a short baseline, a spike long enough for the app's auto-scaling
 * supervisor to add instances, then a quiet tail long enough for it to remove
 * them again. During the spike users keep arriving: a share of iterations
 * (SIGN_IN_SHARE) starts with a fresh sign-in, whose password hashing loads the
 * app's CPU far more than the load generator's (cached reads alone would
 * saturate the generator first on a small machine). Requests carry `phase:baseline|spike|quiet`; the quiet phase
 * must not fail requests while instances drain. teardown() asks the target's
 * /api/performance whether it scaled up and back down.
 * Needs the app started with `--min-instances/--max-instances`
 * (`npm run loadtest -- --scenario autoscale` does that).
 *   k6 run scenarios/autoscale.ts                  (1 → 30 → 1 VUs, ~2.7 min)
 */
import http from 'k6/http';
import type { Options } from 'k6/options';
import { checkThat } from './lib/checks.ts';
import { assertLoopback, BASE_URL, envDuration, envFloat, envInt, ms } from './lib/config.ts';
import { phaseTags } from './lib/phases.ts';
import type { Phase } from './lib/phases.ts';
import { dropSession } from './lib/session.ts';
import { mixedIteration } from './lib/workload.ts';

assertLoopback();

const BASE_VUS = Math.max(1, envInt('BASE_VUS', 1));
const SPIKE_VUS = envInt('SPIKE_VUS', 30);
const SPIKE_THINK = envFloat('SPIKE_THINK', 0.05);
const SIGN_IN_SHARE = Math.min(1, envFloat('SIGN_IN_SHARE', 0.3));
const QUIET_THINK = envFloat('QUIET_THINK', 2);
const BASELINE = envDuration('BASELINE', '10s');
const SURGE = envDuration('SURGE', '5s');
const HOLD = envDuration('HOLD', '50s');
const QUIET = envDuration('QUIET', '90s');

const phases: Phase[] = [
  { name: 'baseline', duration: BASELINE },
  { name: 'spike', duration: SURGE },
  { name: 'spike', duration: HOLD },
  { name: 'spike', duration: SURGE },
  { name: 'quiet', duration: QUIET },
];

export const options: Options = {
  scenarios: {
    autoscale: {
      executor: 'ramping-vus',
      startVUs: BASE_VUS,
      stages: [
        { duration: BASELINE, target: BASE_VUS },
        { duration: SURGE, target: SPIKE_VUS },
        { duration: HOLD, target: SPIKE_VUS },
        { duration: SURGE, target: BASE_VUS },
        { duration: QUIET, target: BASE_VUS },
      ],
      gracefulRampDown: '5s',
    },
  },
  thresholds: {
    checks: ['rate>0.95'],
    http_req_failed: ['rate<0.05'],
    // Instances leave during the quiet tail: a drained instance must finish what it accepted.
    'http_req_failed{phase:quiet}': ['rate<0.01'],
    'http_req_duration{phase:baseline}': [`p(95)<${ms(500)}`],
    'http_req_duration{phase:spike}': [`p(95)<${ms(3000)}`],
    'http_req_duration{phase:quiet}': [`p(95)<${ms(500)}`],
    'checks{name:autoscaling}': ['rate==1'],
  },
};

export default function autoscale(): void {
  const tags = phaseTags(phases);
  const spike = tags['phase'] === 'spike';
  // The next call signs in again (ensureSession), as a newly arriving user would.
  if (spike && Math.random() < SIGN_IN_SHARE) dropSession();
  mixedIteration({ tags }, spike ? SPIKE_THINK : QUIET_THINK);
}

interface Autoscaling {
  min: number;
  current: number;
  decisions: Array<{ action: string; from: number; to: number }>;
}

/** After the run: the supervisor added at least one instance and was back at its minimum. */
export function teardown(): void {
  const res = http.get(`${BASE_URL}/api/performance`, { tags: { name: 'autoscaling' } });
  let a: Autoscaling | undefined;
  try {
    a = (JSON.parse(String(res.body)) as { autoscaling?: Autoscaling }).autoscaling;
  } catch {
    a = undefined;
  }
  checkThat('autoscaling: reported by /api/performance', a !== undefined, 'autoscaling');
  checkThat(
    'autoscaling: scaled up during the spike',
    (a?.decisions ?? []).some((d) => d.action === 'up'),
    'autoscaling',
  );
  checkThat(
    'autoscaling: scaled down in the quiet tail',
    (a?.decisions ?? []).some((d) => d.action === 'down'),
    'autoscaling',
  );
  checkThat('autoscaling: back to the minimum', a !== undefined && a.current === a.min, 'autoscaling');
}
