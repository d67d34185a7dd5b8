import type { Results } from '../results/schema.ts';
import { round, type ChartSpec } from './chart-data.ts';

type Phases = NonNullable<Results['phases']>;

/**
 * Where a moment of this run falls in the baseline run: the same offset into
 * the phase (scenario) of the same name, so that each scenario's start lines
 * up even when the runs spent different times before it; outside any phase,
 * the same time since the start.
 */
export function baselineTime(t: number, phases: Phases, baselinePhases: Phases): number {
  const p = phases.find((x) => t >= x.start && t <= x.end);
  const b = p ? baselinePhases.find((x) => x.name === p.name) : undefined;
  return p && b ? b.start + (t - p.start) : t;
}

/** Index of the last sorted value ≤ t (-1 when none). */
function lastAtOrBefore(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? Infinity) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * A baseline series read at the given times: linear between the two samples
 * around each time, null outside the series, inside one of its gaps (a null
 * sample, or samples further apart than a few steps), or beyond its end.
 */
export function resample(bx: number[], values: Array<number | null>, at: number[]): Array<number | null> {
  const steps = bx
    .slice(1)
    .map((v, i) => v - (bx[i] ?? v))
    .sort((a, b) => a - b);
  const limit = Math.max((steps[Math.floor(steps.length / 2)] ?? 1) * 3, 2.5);
  return at.map((t) => {
    const j = lastAtOrBefore(bx, t);
    const t0 = bx[j];
    const v0 = values[j];
    if (t0 === undefined || v0 === null || v0 === undefined || t < t0) return null;
    if (t === t0) return v0;
    const t1 = bx[j + 1];
    const v1 = values[j + 1];
    if (t1 === undefined || v1 === null || v1 === undefined || t1 - t0 > limit) return null;
    return round(v0 + ((v1 - v0) * (t - t0)) / (t1 - t0), 3);
  });
}

/**
 * The baseline run's matching series of a chart, put on this chart's x (so
 * the page embeds no more points for the baseline than for the run itself,
 * and both lines share one axis). Stacked charts get none: a dashed stack
 * over a stack does not read.
 */
export function withBaseline(
  spec: ChartSpec,
  before: ChartSpec | undefined,
  phases: Phases,
  baselinePhases: Phases,
): ChartSpec {
  if (!before || spec.stacked) return spec;
  const labels = new Set(spec.series.map((s) => s.label));
  const at = spec.x.map((t) => baselineTime(t, phases, baselinePhases));
  const series = before.series
    .filter((s) => labels.has(s.label))
    .map((s) => ({
      label: s.label,
      values: resample(before.x, s.values, at).map((v) => (spec.log && v !== null && v <= 0 ? null : v)),
    }))
    .filter((s) => s.values.some((v) => v !== null));
  return series.length > 0 ? { ...spec, baseline: { series } } : spec;
}
