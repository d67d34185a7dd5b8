/** Chart specifications and the pure helpers that shape their data: gaps, summaries, scale choice. */

/** One chart's data, embedded as JSON and drawn by uPlot in the page. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: 'ms' | '/s' | '%' | 'MB' | 'MB/s' | 'kB' | 'B' | 's' | '';
  x: number[];
  series: Array<{ label: string; values: Array<number | null> }>;
  /** Whole-number values (instance counts): ticks only at whole numbers. */
  integer?: boolean;
  /** Logarithmic y axis: the series differ by orders of magnitude. */
  log?: boolean;
  /** Series are stacked parts of a whole (status classes per second). */
  stacked?: boolean;
  /** Where the chart goes: the timeline (default), or next to its section's tables. */
  group?: 'timeline' | 'database' | 'resources';
  /** The same chart's series from the baseline run on this chart's x, when one was given (drawn dashed, toggled). */
  baseline?: { series: Array<{ label: string; values: Array<number | null> }> };
}

/** Colours of the series, in order (the page's script uses the same list). */
export const PALETTE = ['#3b5bdb', '#e8590c', '#2f9e44', '#ae3ec9', '#c92a2a', '#1098ad', '#f08c00', '#5c940d'];

export const round = (v: number | null | undefined, digits = 2): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/** A value with its unit, as the axes and legends show it. */
export function fmtUnit(unit: ChartSpec['unit'], v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const n = Number.isInteger(v) || a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit === '' ? n : unit === '%' || unit === '/s' ? n + unit : `${n} ${unit}`;
}

/** Last, mean and max of a series' present values: the legend before any hover. */
export function summaryOf(unit: ChartSpec['unit'], values: Array<number | null>): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return 'no samples';
  const mean = present.reduce((s, v) => s + v, 0) / present.length;
  const last = present[present.length - 1] ?? null;
  return `last ${fmtUnit(unit, last)} · mean ${fmtUnit(unit, mean)} · max ${fmtUnit(unit, Math.max(...present))}`;
}

/**
 * Inserts a null point into every series where the x values jump by more than
 * a few steps (between two scenarios, a sampler's pause), so the chart shows a
 * gap there instead of a straight line across it.
 */
export function withGaps(spec: ChartSpec): ChartSpec {
  const { x } = spec;
  if (x.length < 3) return spec;
  const steps = x
    .slice(1)
    .map((v, i) => v - (x[i] ?? v))
    .sort((a, b) => a - b);
  const step = Math.max(steps[Math.floor(steps.length / 2)] ?? 1, 0.001);
  const limit = Math.max(step * 3, 2.5);
  const nx: number[] = [];
  const ns = spec.series.map(() => [] as Array<number | null>);
  x.forEach((t, i) => {
    const prev = x[i - 1];
    if (prev !== undefined && t - prev > limit) {
      nx.push(prev + step);
      ns.forEach((s) => s.push(null));
    }
    nx.push(t);
    spec.series.forEach((s, j) => ns[j]?.push(s.values[i] ?? null));
  });
  return { ...spec, x: nx, series: spec.series.map((s, j) => ({ ...s, values: ns[j] ?? [] })) };
}

/** True when the series' peaks differ by 50× or more: a linear axis would flatten the small ones to zero. */
export function needsLog(series: ChartSpec['series']): boolean {
  const peaks = series.map((s) => Math.max(0, ...s.values.filter((v): v is number => v !== null))).filter((p) => p > 0);
  return peaks.length > 1 && Math.max(...peaks) / Math.min(...peaks) >= 50;
}

/** A spec on a log axis when its series need one (values ≤ 0 cannot be drawn there and become gaps). */
export function autoLog(spec: ChartSpec): ChartSpec {
  if (!needsLog(spec.series)) return spec;
  const series = spec.series.map((s) => ({ ...s, values: s.values.map((v) => (v !== null && v > 0 ? v : null)) }));
  return { ...spec, log: true, series };
}

/** Values of keyed samples on a shared x: union of the keys' times, null where a key has no sample. */
export function onSharedX<T extends { t: number }>(
  groups: Array<{ label: string; samples: T[] }>,
  read: (s: T) => number | null | undefined,
  digits = 2,
): Pick<ChartSpec, 'x' | 'series'> {
  const x = [...new Set(groups.flatMap((g) => g.samples.map((s) => s.t)))].sort((a, b) => a - b);
  const series = groups.map((g) => {
    const byT = new Map(g.samples.map((s) => [s.t, read(s)]));
    return { label: g.label, values: x.map((t) => round(byT.get(t), digits)) };
  });
  return { x, series };
}
