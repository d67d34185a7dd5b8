/**
 * The open model's schedule: when the n-th iteration of a constant- or
 * ramping-arrival-rate scenario starts. The rate is linear within each stage,
 * so the iterations scheduled by time t are the integral of the rate up to t.
 */
import type { ScenarioPlan } from '../options/index.ts';

/** A stretch of an arrival-rate schedule over which the rate changes linearly. */
export interface Segment {
  start: number;
  duration: number;
  /** Iterations per ms at the segment's start and end. */
  r0: number;
  r1: number;
  /** Iterations scheduled before the segment. */
  before: number;
}

/** The segments of an arrival-rate scenario: one for constant-arrival-rate, one per stage for ramping-arrival-rate. */
export function arrivalSegments(p: ScenarioPlan): Segment[] {
  const perMs = (rate: number): number => rate / p.timeUnitMs;
  if (p.executor === 'constant-arrival-rate')
    return [{ start: 0, duration: p.durationMs, r0: perMs(p.rate), r1: perMs(p.rate), before: 0 }];
  const out: Segment[] = [];
  let t = 0;
  let from = perMs(p.startRate);
  let before = 0;
  for (const st of p.stages) {
    const to = perMs(st.target);
    out.push({ start: t, duration: st.durationMs, r0: from, r1: to, before });
    before += ((from + to) / 2) * st.durationMs;
    t += st.durationMs;
    from = to;
  }
  return out;
}

/**
 * When the iterations scheduled so far (the integral of the rate) reach `area`, in ms from the
 * scenario's start, or null when the schedule ends first. The end itself counts: an area reached
 * exactly at t = duration gives that time.
 */
export function iterationOffset(segs: readonly Segment[], area: number): number | null {
  for (const s of segs) {
    const inSeg = area - s.before;
    const total = ((s.r0 + s.r1) / 2) * s.duration;
    if (inSeg > total + 1e-9) continue;
    if (inSeg <= 0) return s.start;
    const a = (s.r1 - s.r0) / (2 * s.duration);
    if (Math.abs(a) < 1e-15) return s.start + Math.min(inSeg / s.r0, s.duration);
    // Solve a·t² + r0·t = inSeg for the first t ≥ 0.
    const t = (-s.r0 + Math.sqrt(Math.max(0, s.r0 * s.r0 + 4 * a * inSeg))) / (2 * a);
    return s.start + Math.min(t, s.duration);
  }
  return null;
}

/**
 * When k6 starts the n-th iteration (0-based) of an arrival-rate scenario: constant-arrival-rate at
 * n × timeUnit/rate (the first at t = 0, one more at t = duration when it fits exactly);
 * ramping-arrival-rate when the area under the rate curve reaches n + 1 (never at t = 0 unless the
 * rate is infinite). Null when the schedule ends first.
 */
export function arrivalOffset(p: Pick<ScenarioPlan, 'executor'>, segs: readonly Segment[], n: number): number | null {
  return iterationOffset(segs, p.executor === 'ramping-arrival-rate' ? n + 1 : n);
}
