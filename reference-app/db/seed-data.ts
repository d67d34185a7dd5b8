/**
 * Deterministic seed content: scales, the eight metrics, a seeded PRNG and
 * the generators of COPY text rows. Same seed and scale → same rows (the
 * timestamps follow "now" so dashboards always show recent data).
 */

/** How much data a scale makes. */
export interface Scale {
  businesses: number;
  viewersPerBusiness: number;
  days: number;
  intervalMinutes: number;
}

/** small: a few seconds (tests); medium: > 1 M points; large: > 5 M points. */
export const SCALES = {
  small: { businesses: 20, viewersPerBusiness: 2, days: 2, intervalMinutes: 5 },
  medium: { businesses: 40, viewersPerBusiness: 3, days: 14, intervalMinutes: 5 },
  large: { businesses: 100, viewersPerBusiness: 5, days: 28, intervalMinutes: 5 },
} as const satisfies Record<string, Scale>;

/** A scale's name. */
export type ScaleName = keyof typeof SCALES;

/** One tracked metric: how it is labelled and how its values behave. */
interface MetricSpec {
  metric: string;
  label: string;
  unit: string;
  /** Typical level range (a business picks a base in it). */
  base: [number, number];
  /** Amplitude of the daily cycle, as a fraction of the base. */
  daily: number;
  integer: boolean;
}

/** The eight metrics of every business (reference-app/API.md). */
export const METRICS: readonly MetricSpec[] = [
  { metric: 'revenue', label: 'Revenue', unit: 'USD', base: [200, 5000], daily: 0.5, integer: false },
  { metric: 'orders', label: 'Orders', unit: 'count', base: [5, 120], daily: 0.5, integer: true },
  { metric: 'active_users', label: 'Active users', unit: 'users', base: [50, 3000], daily: 0.4, integer: true },
  { metric: 'conversion_rate', label: 'Conversion rate', unit: '%', base: [0.8, 5], daily: 0.15, integer: false },
  {
    metric: 'avg_order_value',
    label: 'Average order value',
    unit: 'USD',
    base: [20, 180],
    daily: 0.05,
    integer: false,
  },
  { metric: 'page_views', label: 'Page views', unit: 'views', base: [300, 20_000], daily: 0.6, integer: true },
  { metric: 'signups', label: 'Signups', unit: 'count', base: [1, 40], daily: 0.5, integer: true },
  { metric: 'churn_rate', label: 'Churn rate', unit: '%', base: [0.1, 3], daily: 0.05, integer: false },
];

/** mulberry32: tiny, fast, good enough for synthetic data, and reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The point timestamps shared by every series: `count` steps ending at `end`. */
export interface Timeline {
  /** Epoch ms of each point. */
  times: Float64Array;
  /** The same as text for COPY (computed once, reused by every series). */
  texts: string[];
}

/** Builds the timeline for a scale, ending at "now" rounded down to the interval. */
export function timeline(scale: Scale, now: Date): Timeline {
  const step = scale.intervalMinutes * 60_000;
  const count = Math.round((scale.days * 86_400_000) / step);
  const end = Math.floor(now.getTime() / step) * step;
  const times = new Float64Array(count);
  const texts: string[] = new Array<string>(count);
  for (let i = 0; i < count; i += 1) {
    const t = end - (count - 1 - i) * step;
    times[i] = t;
    texts[i] = new Date(t).toISOString();
  }
  return { times, texts };
}

/**
 * The values of one series (business × metric): a business-specific level,
 * a daily cycle, a slow trend and noise, rounded to what the metric allows.
 */
export function seriesValues(seed: number, business: number, metricIndex: number, times: Float64Array): Float64Array {
  const spec = METRICS[metricIndex];
  if (!spec) throw new Error(`no metric #${metricIndex}`);
  const rand = prng(seed * 1_000_003 + business * 101 + metricIndex);
  const [lo, hi] = spec.base;
  const base = lo + (hi - lo) * rand();
  const phase = rand() * Math.PI * 2;
  const trend = (rand() - 0.4) * 0.3; // mostly growing businesses
  const values = new Float64Array(times.length);
  const span = Math.max(1, times.length - 1);
  for (let i = 0; i < times.length; i += 1) {
    const day = ((times[i] ?? 0) / 86_400_000) * Math.PI * 2;
    const level = base * (1 + trend * (i / span)) * (1 + spec.daily * Math.sin(day + phase));
    const v = Math.max(0, level * (0.9 + 0.2 * rand()));
    values[i] = spec.integer ? Math.round(v) : Math.round(v * 100) / 100;
  }
  return values;
}

/** Escapes a value for COPY's text format. */
export function copyText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const CHUNK = 1 << 16;

/** 1..n, or the given business ids (one shard's share). */
function businessList(businesses: number | readonly number[]): readonly number[] {
  return typeof businesses === 'number' ? Array.from({ length: businesses }, (_, i) => i + 1) : businesses;
}

/** COPY rows of metric_points (business_id, metric, ts, value), in ~64 kB chunks. */
export function* pointRows(seed: number, businesses: number | readonly number[], tl: Timeline): Generator<string> {
  let chunk = '';
  for (const b of businessList(businesses)) {
    for (let m = 0; m < METRICS.length; m += 1) {
      const prefix = `${b}\t${METRICS[m]?.metric}\t`;
      const values = seriesValues(seed, b, m, tl.times);
      for (let i = 0; i < values.length; i += 1) {
        chunk += `${prefix}${tl.texts[i]}\t${values[i]}\n`;
        if (chunk.length > CHUNK) {
          yield chunk;
          chunk = '';
        }
      }
    }
  }
  if (chunk) yield chunk;
}

/** COPY rows of metric_rollups_hourly (business_id, metric, bucket, count, sum, min, max), aggregated from the same points. */
export function* rollupRows(seed: number, businesses: number | readonly number[], tl: Timeline): Generator<string> {
  let chunk = '';
  for (const b of businessList(businesses)) {
    for (let m = 0; m < METRICS.length; m += 1) {
      const prefix = `${b}\t${METRICS[m]?.metric}\t`;
      const values = seriesValues(seed, b, m, tl.times);
      let i = 0;
      while (i < values.length) {
        const hour = Math.floor((tl.times[i] ?? 0) / 3_600_000);
        let count = 0,
          sum = 0,
          min = Infinity,
          max = -Infinity;
        for (; i < values.length && Math.floor((tl.times[i] ?? 0) / 3_600_000) === hour; i += 1) {
          const v = values[i] ?? 0;
          count += 1;
          sum += v;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        chunk += `${prefix}${new Date(hour * 3_600_000).toISOString()}\t${count}\t${sum}\t${min}\t${max}\n`;
        if (chunk.length > CHUNK) {
          yield chunk;
          chunk = '';
        }
      }
    }
  }
  if (chunk) yield chunk;
}
