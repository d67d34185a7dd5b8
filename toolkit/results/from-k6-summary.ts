import type { ApiResults, EndpointResults, Latency, Results, TimePoint } from './schema.ts';

/** One metric as k6 hands it to handleSummary(data). */
export interface K6SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** A k6 group with its checks and sub-groups. */
export interface K6SummaryGroup {
  name: string;
  path: string;
  groups: K6SummaryGroup[];
  checks: Array<{ name: string; path: string; passes: number; fails: number }>;
}

/** The data k6 (or the built-in runner) passes to handleSummary. */
export interface K6SummaryData {
  metrics: Record<string, K6SummaryMetric>;
  root_group: K6SummaryGroup;
  state: { testRunDurationMs: number };
}

/** Per-endpoint totals over the run, with percentiles from merged histograms. */
export interface EndpointAggregate {
  name: string;
  method?: string;
  count: number;
  errors: number;
  latency: Latency;
}

/**
 * One second as the built-in runner reports it (RunOutcome.timeseries,
 * toolkit/k6-core/outputs/per-second.ts); typed here by shape so the model does
 * not depend on the runner's internals.
 */
export interface RunnerPerSecondPoint {
  /** Start of the second, ms since epoch. */
  time: number;
  requests: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  vus: number | null;
  byName?: Record<string, { requests: number; p95?: number }>;
}

/** Per-second aggregates plus per-name totals (percentiles from merged histograms). */
export interface PerSecondSeries {
  points: Array<{
    /** seconds since start */
    t: number;
    requests: number;
    errors: number;
    vus: number;
    p50: number | null;
    p95: number | null;
    p99: number | null;
    cacheHits?: number;
    cacheMisses?: number;
  }>;
  endpoints?: EndpointAggregate[];
}

const SUB_RE = /^([a-z_][a-z0-9_]*)\{(.*)\}$/i;

function latencyOf(values: Record<string, number> | undefined): Latency | null {
  if (!values || values.avg === undefined) return null;
  return {
    avg: values.avg,
    min: values.min ?? 0,
    p50: values.med ?? values['p(50)'] ?? values.avg,
    p90: values['p(90)'] ?? values.max ?? values.avg,
    p95: values['p(95)'] ?? values.max ?? values.avg,
    p99: values['p(99)'] ?? null,
    max: values.max ?? values.avg,
  };
}

/** `name:dashboard` out of `http_req_duration{name:dashboard}`; only single-tag name selectors count. */
function nameTag(key: string, parent: string): string | undefined {
  const m = SUB_RE.exec(key);
  if (!m || m[1] !== parent) return undefined;
  const pairs = (m[2] ?? '').split(',').map((p) => p.trim());
  if (pairs.length !== 1) return undefined;
  const [k, ...rest] = (pairs[0] ?? '').split(':');
  return k?.trim() === 'name'
    ? rest
        .join(':')
        .trim()
        .replace(/^["']|["']$/g, '')
    : undefined;
}

/**
 * Endpoints from `http_req_duration{name:…}` sub-metrics (k6 has them for
 * names that thresholds mention). Counts come from `http_reqs{name:…}` or
 * `http_req_failed{name:…}` when present, else from per-second counts; a
 * figure no source has stays null rather than being guessed.
 */
function endpointsFromSubmetrics(
  metrics: Record<string, K6SummaryMetric>,
  seconds: number,
  counted: Map<string, number>,
): EndpointResults[] {
  const out: EndpointResults[] = [];
  for (const [key, metric] of Object.entries(metrics)) {
    const name = nameTag(key, 'http_req_duration');
    const latency = latencyOf(metric.values);
    if (name === undefined || latency === null) continue;
    const reqs = metrics[`http_reqs{name:${name}}`]?.values;
    const failed = metrics[`http_req_failed{name:${name}}`]?.values;
    const count = reqs?.count ?? (failed ? (failed.passes ?? 0) + (failed.fails ?? 0) : (counted.get(name) ?? null));
    out.push({
      name,
      count,
      rps: count !== null && seconds > 0 ? count / seconds : null,
      errorRate: failed?.rate ?? null,
      latency,
    });
  }
  return out;
}

function runnerSeries(points: RunnerPerSecondPoint[]): { series: TimePoint[]; counted: Map<string, number> } {
  const start = points[0]?.time ?? 0;
  const counted = new Map<string, number>();
  for (const p of points) {
    for (const [name, n] of Object.entries(p.byName ?? {})) counted.set(name, (counted.get(name) ?? 0) + n.requests);
  }
  const series = points.map((p) => ({
    t: Math.round((p.time - start) / 1000),
    rps: p.requests,
    p50: p.p50,
    p95: p.p95,
    p99: p.p99,
    vus: p.vus ?? 0,
    errors: p.failed,
  }));
  return { series, counted };
}

function checksOf(group: K6SummaryGroup): ApiResults['checks'] {
  const own = group.checks.map((c) => ({ name: c.name, path: c.path, passes: c.passes, fails: c.fails }));
  return [...own, ...group.groups.flatMap(checksOf)];
}

/** `p(95)<500` → the aggregation k6 judged and the limit, when the expression has that simple shape. */
const THRESHOLD_SHAPE =
  /^\s*(p\(\d+(?:\.\d+)?\)|avg|min|max|med|count|rate|value)\s*(<=|>=|==|===|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

function thresholdsOf(metrics: Record<string, K6SummaryMetric>): ApiResults['thresholds'] {
  return Object.entries(metrics).flatMap(([metric, m]) =>
    Object.entries(m.thresholds ?? {}).map(([expression, t]) => {
      const shape = THRESHOLD_SHAPE.exec(expression);
      const value = shape?.[1] !== undefined ? m.values[shape[1]] : undefined;
      return {
        metric,
        expression,
        ok: t.ok,
        ...(shape && value !== undefined && Number.isFinite(value) ? { value, limit: Number(shape[3]) } : {}),
      };
    }),
  );
}

function timeSeriesOf(series: PerSecondSeries): TimePoint[] {
  return series.points.map((p) => {
    const lookups = (p.cacheHits ?? 0) + (p.cacheMisses ?? 0);
    return {
      t: p.t,
      rps: p.requests,
      p50: p.p50,
      p95: p.p95,
      p99: p.p99,
      vus: p.vus,
      errors: p.errors,
      cacheHitRatio: lookups > 0 ? (p.cacheHits ?? 0) / lookups : null,
    };
  });
}

/**
 * Converts k6 handleSummary data (plus per-second aggregates: the built-in
 * runner's `timeseries` array, or a PerSecondSeries with per-name totals) into
 * the api part, the time series and (from the `cache_hits` rate) the cache part. Per-endpoint figures come from the
 * aggregates when given, else from `http_req_duration{name:…}` sub-metrics.
 */
export function fromK6Summary(
  summary: K6SummaryData,
  perSecondInput?: PerSecondSeries | RunnerPerSecondPoint[],
): Pick<Results, 'api' | 'timeSeries' | 'cache'> {
  const m = summary.metrics;
  const seconds = summary.state.testRunDurationMs / 1000;
  const requests = m.http_reqs?.values.count ?? 0;
  const runner = Array.isArray(perSecondInput) ? runnerSeries(perSecondInput) : undefined;
  const perSecond = Array.isArray(perSecondInput) ? undefined : perSecondInput;
  const endpoints = perSecond?.endpoints
    ? perSecond.endpoints.map((e) => ({
        name: e.name,
        ...(e.method === undefined ? {} : { method: e.method }),
        count: e.count,
        rps: seconds > 0 ? e.count / seconds : 0,
        errorRate: e.count > 0 ? e.errors / e.count : 0,
        latency: e.latency,
      }))
    : endpointsFromSubmetrics(m, seconds, runner?.counted ?? new Map());
  const latency = latencyOf(m.http_req_duration?.values);
  const api: ApiResults = {
    responseTime: latency?.avg ?? null,
    throughput: m.http_reqs ? (m.http_reqs.values.rate ?? (seconds > 0 ? requests / seconds : 0)) : null,
    errorRate: m.http_req_failed?.values.rate ?? null,
    requests,
    durationMs: summary.state.testRunDurationMs,
    latency,
    endpoints: endpoints.sort((a, b) => a.name.localeCompare(b.name)),
    checks: checksOf(summary.root_group),
    thresholds: thresholdsOf(m),
  };
  if (m.iterations) api.iterations = m.iterations.values.count ?? 0;
  if (m.data_received) api.dataReceivedBytes = m.data_received.values.count ?? 0;
  if (m.data_sent) api.dataSentBytes = m.data_sent.values.count ?? 0;
  if (m.vus_max) api.vusMax = m.vus_max.values.max ?? m.vus_max.values.value ?? 0;
  // The scenarios record X-Cache as the `cache_hits` rate metric: hits are its passes.
  const hits = m.cache_hits?.type === 'rate' ? m.cache_hits.values : undefined;
  const cache = hits ? { hitRatio: hits.rate ?? null, hits: hits.passes ?? 0, misses: hits.fails ?? 0 } : undefined;
  const timeSeries = runner?.series ?? (perSecond ? timeSeriesOf(perSecond) : undefined);
  return { api, ...(timeSeries ? { timeSeries } : {}), ...(cache ? { cache } : {}) };
}
