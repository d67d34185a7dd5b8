/**
 * The execution description k6 prints on stdout before the test starts (skipped under -q), without
 * the logo: execution, script and output lines, the scenarios' count, max VUs and max duration, and
 * one line per scenario as k6's executors describe themselves (lib/executor/*.go GetDescription).
 * It ends with an empty line, as k6's does, so the progress block that follows lines up the same way.
 */
import type { RunPlan, ScenarioPlan } from '../k6-core/index.ts';

/** A duration as Go's time.Duration.String() writes it: 500ms, 1.85s, 10m0s, 1h0m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1) return `${trim((ms * 1000).toFixed(3))}µs`;
  if (ms < 1000) return `${trim(ms.toFixed(6))}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = `${trim(((ms % 60_000) / 1000).toFixed(9))}s`;
  if (h > 0) return `${h}h${m}m${s}`;
  return m > 0 ? `${m}m${s}` : s;
}

const trim = (fixed: string): string => (fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed);

const stagesMs = (s: ScenarioPlan): number => s.stages.reduce((a, st) => a + st.durationMs, 0);
const maxTarget = (start: number, s: ScenarioPlan): number => Math.max(start, ...s.stages.map((st) => st.target));
const perSecond = (n: number, s: ScenarioPlan): string => ((n * 1000) / s.timeUnitMs).toFixed(2);

/** k6's `(facts, exec: …, startTime: …, gracefulStop: …)` suffix. */
function baseInfo(s: ScenarioPlan, facts: string[]): string {
  const all = [...facts];
  if (s.exec !== 'default') all.push(`exec: ${s.exec}`);
  if (s.startTimeMs > 0) all.push(`startTime: ${goDuration(s.startTimeMs)}`);
  if (s.gracefulStopMs > 0) all.push(`gracefulStop: ${goDuration(s.gracefulStopMs)}`);
  return all.length > 0 ? ` (${all.join(', ')})` : '';
}

const vusRange = (s: ScenarioPlan): string =>
  `maxVUs: ${s.preAllocatedVUs}${s.maxVUs > s.preAllocatedVUs ? `-${s.maxVUs}` : ''}`;

/** One scenario's line, in k6's words. */
export function scenarioDescription(s: ScenarioPlan): string {
  const maxDuration = `maxDuration: ${goDuration(s.maxDurationMs)}`;
  switch (s.executor) {
    case 'shared-iterations':
      return `${s.iterations} iterations shared among ${s.vus} VUs${baseInfo(s, [maxDuration])}`;
    case 'per-vu-iterations':
      return `${s.iterations} iterations for each of ${s.vus} VUs${baseInfo(s, [maxDuration])}`;
    case 'constant-vus':
      return `${s.vus} looping VUs for ${goDuration(s.durationMs)}${baseInfo(s, [])}`;
    case 'ramping-vus':
      return `Up to ${maxTarget(s.startVUs, s)} looping VUs for ${goDuration(stagesMs(s))} over ${s.stages.length} stages${baseInfo(s, [`gracefulRampDown: ${goDuration(s.gracefulRampDownMs)}`])}`;
    case 'constant-arrival-rate':
      return `${perSecond(s.rate, s)} iterations/s for ${goDuration(s.durationMs)}${baseInfo(s, [vusRange(s)])}`;
    case 'ramping-arrival-rate':
      return `Up to ${perSecond(maxTarget(s.startRate, s), s)} iterations/s for ${goDuration(stagesMs(s))} over ${s.stages.length} stages${baseInfo(s, [vusRange(s)])}`;
    default:
      return s.executor;
  }
}

/** The most VUs a scenario can hold, and when its time (graceful stop included) ends. */
function extent(s: ScenarioPlan): { vus: number; end: number } {
  const start = s.startTimeMs;
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return { vus: s.vus, end: start + s.maxDurationMs + s.gracefulStopMs };
    case 'constant-vus':
      return { vus: s.vus, end: start + s.durationMs + s.gracefulStopMs };
    case 'ramping-vus':
      return { vus: maxTarget(s.startVUs, s), end: start + stagesMs(s) + s.gracefulStopMs };
    case 'constant-arrival-rate':
      return { vus: s.maxVUs, end: start + s.durationMs + s.gracefulStopMs };
    default:
      return { vus: s.maxVUs, end: start + stagesMs(s) + s.gracefulStopMs };
  }
}

/** The scenarios' max VUs at any one time (those that overlap add up) and the test's max duration. */
export function planExtent(plan: RunPlan): { maxVus: number; maxDurationMs: number } {
  const spans = plan.scenarios.map((s) => ({ start: s.startTimeMs, ...extent(s) }));
  let maxVus = 0;
  for (const at of spans) {
    const busy = spans.filter((o) => o.start <= at.start && o.end > at.start).reduce((a, o) => a + o.vus, 0);
    maxVus = Math.max(maxVus, busy);
  }
  return { maxVus, maxDurationMs: Math.max(0, ...spans.map((o) => o.end)) };
}

export function executionDescription(script: string, outputs: string[], plan: RunPlan): string {
  const n = plan.scenarios.length;
  const { maxVus, maxDurationMs } = planExtent(plan);
  const sorted = [...plan.scenarios].sort(
    (a, b) => a.startTimeMs - b.startTimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const lines = [
    '',
    '     execution: local',
    `        script: ${script}`,
    `        output: ${outputs.length > 0 ? outputs.join(', ') : '-'}`,
    '',
    `     scenarios: (100.00%) ${n === 1 ? '1 scenario' : `${n} scenarios`}, ${maxVus} max VUs, ${goDuration(Math.round(maxDurationMs / 100) * 100)} max duration (incl. graceful stop):`,
    ...sorted.map((s) => `              * ${s.name}: ${scenarioDescription(s)}`),
    '',
    '',
  ];
  return lines.join('\n');
}
