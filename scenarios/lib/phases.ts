/**
 * Tags requests with the stage of the test they ran in (baseline / spike /
 * recovery, or the target rate of a stress step), so thresholds on
 * `http_req_duration{phase:…}` put each stage's latency in the summary and
 * the knee of a stress test shows as the step where p(95) jumps.
 */
import exec from 'k6/execution';
import { durationSeconds } from './config.ts';

/** A named span of a scenario's timeline. */
export interface Phase {
  name: string;
  duration: string;
}

/** Seconds since this scenario started, or null when the runner does not say. */
export function scenarioElapsed(now: number = Date.now()): number | null {
  const start = (exec.scenario as { startTime?: number } | undefined)?.startTime;
  if (typeof start !== 'number' || !Number.isFinite(start) || start <= 0) return null;
  return (now - start) / 1000;
}

/** The phase `elapsed` seconds fall in; past the end, the last phase. */
export function phaseAt(phases: readonly Phase[], elapsed: number): string | null {
  let end = 0;
  for (const p of phases) {
    end += durationSeconds(p.duration);
    if (elapsed < end) return p.name;
  }
  return phases[phases.length - 1]?.name ?? null;
}

/** `{ phase: name }` for the current moment, or `{}` when elapsed time is unknown. */
export function phaseTags(phases: readonly Phase[]): Record<string, string> {
  const elapsed = scenarioElapsed();
  const name = elapsed === null ? null : phaseAt(phases, elapsed);
  return name === null ? {} : { phase: name };
}
