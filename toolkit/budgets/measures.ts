import type { LighthouseResult, Latency, Results } from '../results/schema.ts';
import { histogramPoints, quantileEstimate, weighted } from '../stats/index.ts';
import type { QuantityKind } from '../results/verdicts.ts';
import { one, pointerOf, type CheckSpec, type Measure, type Measurement } from './checks.ts';
import type { Operator } from './operators.ts';
import type { Budget, BudgetEntry } from './schema.ts';

type Entries = Record<string, BudgetEntry | undefined>;
const LATENCY_KEYS = ['avg', 'p50', 'p90', 'p95', 'p99', 'max'] as const;
type LatencyKey = (typeof LATENCY_KEYS)[number];

/** A latency figure with its interval (percentiles) and the run's requests as observations, when kept. */
function latencyMeasure(latency: Latency | null | undefined, k: LatencyKey): Measurement[] | undefined {
  const value = latency?.[k];
  if (!latency || value === undefined || value === null) return undefined;
  const interval = k === 'avg' || k === 'max' ? undefined : latency.intervals?.[k];
  return [
    {
      value,
      ...(interval ? { interval: { lo: interval.lo, hi: interval.hi, n: interval.n, unit: 'requests' as const } } : {}),
      ...(latency.histogram ? { samples: histogramPoints(latency.histogram) } : {}),
    },
  ];
}

/** A Lighthouse figure: the median over runs, its order-statistic interval and the runs as observations. */
function lighthouseMeasure(l: LighthouseResult, id: string, value: number | null | undefined): Measurement {
  const subject = `${l.page} · ${l.preset} · ${l.mode}`;
  const runs = (l.values?.[id] ?? []).filter((v): v is number => v !== null);
  if (value === undefined || value === null || runs.length < 2) return { subject, value: value ?? null };
  const e = quantileEstimate(Float64Array.from(runs).sort(), 0.5);
  return {
    subject,
    value,
    ...(e ? { interval: { lo: e.lo, hi: e.hi, n: e.n, unit: 'runs' as const } } : {}),
    samples: weighted(runs),
  };
}

/** Adds a spec for every entry present in `entries` among `keys`. */
function add(
  out: CheckSpec[],
  base: string[],
  entries: object | undefined,
  keys: readonly string[],
  make: (key: string) => { label: string; kind: QuantityKind; operator: Operator; measure: Measure },
): void {
  if (!entries) return;
  for (const key of keys) {
    const entry = (entries as Record<string, BudgetEntry | undefined>)[key];
    if (entry !== undefined) out.push({ pointer: pointerOf(...base, key), entry, ...make(key) });
  }
}

function apiSpecs(out: CheckSpec[], api: NonNullable<Budget['api']>): void {
  add(out, ['api'], api, LATENCY_KEYS, (k) => ({
    label: `${k} of all requests`,
    kind: 'duration',
    operator: '<=',
    measure: (r) => latencyMeasure(r.api?.latency, k as LatencyKey),
  }));
  add(out, ['api'], api, ['errorRate'], () => ({
    label: 'error rate',
    kind: 'ratio',
    operator: '<=',
    measure: (r) => one(r.api?.errorRate),
  }));
  add(out, ['api'], api, ['throughput'], () => ({
    label: 'throughput',
    kind: 'rate',
    operator: '>=',
    measure: (r) => one(r.api?.throughput),
  }));
  add(out, ['api'], api, ['checks'], () => ({
    label: 'checks passing',
    kind: 'ratio',
    operator: '>=',
    measure: (r) => {
      const checks = r.api?.checks ?? [];
      const total = checks.reduce((s, c) => s + c.passes + c.fails, 0);
      return total === 0 ? undefined : one(checks.reduce((s, c) => s + c.passes, 0) / total);
    },
  }));
  add(out, ['api'], api, ['thresholds'], () => ({
    label: 'failed thresholds',
    kind: 'count',
    operator: '<=',
    measure: (r) => one(r.api ? r.api.thresholds.filter((t) => !t.ok).length : undefined),
  }));
  for (const [name, limits] of Object.entries(api.endpoints ?? {})) {
    const ep = (r: Results) => r.api?.endpoints.find((e) => e.name === name);
    const base = ['api', 'endpoints', name];
    add(out, base, limits, LATENCY_KEYS, (k) => ({
      label: `${k} of ${name}`,
      kind: 'duration',
      operator: '<=',
      measure: (r) => latencyMeasure(ep(r)?.latency, k as LatencyKey),
    }));
    add(out, base, limits, ['errorRate'], () => ({
      label: `error rate of ${name}`,
      kind: 'ratio',
      operator: '<=',
      measure: (r) => one(ep(r)?.errorRate),
    }));
    add(out, base, limits, ['throughput'], () => ({
      label: `throughput of ${name}`,
      kind: 'rate',
      operator: '>=',
      measure: (r) => one(ep(r)?.rps),
    }));
  }
}

function databaseSpecs(out: CheckSpec[], db: NonNullable<Budget['database']>): void {
  const spec = (label: string, kind: QuantityKind, measure: Measure) => () => ({
    label,
    kind,
    operator: '<=' as const,
    measure,
  });
  add(
    out,
    ['database'],
    db,
    ['queryTime'],
    spec('mean query time', 'duration', (r) => one(r.database?.queryTime)),
  );
  add(
    out,
    ['database'],
    db,
    ['queryTimeP95'],
    spec('p95 query time', 'duration', (r) => one(r.database?.queryTimeP95)),
  );
  add(
    out,
    ['database'],
    db,
    ['connectionCount'],
    spec('database connections', 'count', (r) => one(r.database?.connectionCount)),
  );
  add(
    out,
    ['database'],
    db,
    ['slowQueries'],
    spec('slow queries', 'count', (r) => one(r.database?.slowQueries.length)),
  );
  add(
    out,
    ['database'],
    db,
    ['replicaLag'],
    spec('replica lag', 'duration', (r) => one(r.database?.replicaLagMs)),
  );
}

type LighthouseLimits = { scores?: Entries | undefined; metrics?: Entries | undefined };

function lighthouseSpecs(
  out: CheckSpec[],
  base: string[],
  limits: LighthouseLimits,
  pick: (r: Results) => LighthouseResult[],
): void {
  const subjects = (r: Results, id: string, read: (l: LighthouseResult) => number | null | undefined) => {
    const list = pick(r);
    return list.length === 0 ? undefined : list.map((l) => lighthouseMeasure(l, id, read(l)));
  };
  add(out, [...base, 'scores'], limits.scores, Object.keys(limits.scores ?? {}), (k) => ({
    label: `Lighthouse ${k} score`,
    kind: 'score',
    operator: '>=',
    measure: (r) => subjects(r, k, (l) => l.scores[k as keyof LighthouseResult['scores']]),
  }));
  add(out, [...base, 'metrics'], limits.metrics, Object.keys(limits.metrics ?? {}), (k) => ({
    label: `Lighthouse ${k}`,
    kind: k === 'cumulative-layout-shift' ? 'number' : 'duration',
    operator: '<=',
    measure: (r) => subjects(r, k, (l) => l.metrics[k as keyof LighthouseResult['metrics']]),
  }));
}

function frontendSpecs(out: CheckSpec[], fe: NonNullable<Budget['frontend']>): void {
  add(out, ['frontend'], fe, ['loadTime', 'renderTime'], (k) => ({
    label: k === 'loadTime' ? 'page load time' : 'render time',
    kind: 'duration',
    operator: '<=',
    measure: (r) => one(r.frontend?.[k as 'loadTime' | 'renderTime']),
  }));
  add(out, ['frontend'], fe, ['bundleSize'], () => ({
    label: 'bundle size',
    kind: 'size',
    operator: '<=',
    measure: (r) => one(r.frontend?.bundleSize),
  }));
  const lh = fe.lighthouse;
  if (!lh) return;
  const selected = (r: Results) =>
    (r.frontend?.lighthouse ?? []).filter(
      (l) => (!lh.presets || lh.presets.includes(l.preset)) && (!lh.modes || lh.modes.includes(l.mode)),
    );
  lighthouseSpecs(out, ['frontend', 'lighthouse'], lh, selected);
  for (const [page, limits] of Object.entries(lh.pages ?? {})) {
    lighthouseSpecs(out, ['frontend', 'lighthouse', 'pages', page], limits, (r) =>
      selected(r).filter((l) => l.page === page),
    );
  }
}

type Sizes = { raw?: BudgetEntry | undefined; gzip?: BudgetEntry | undefined; brotli?: BudgetEntry | undefined };
type SizeValues = { raw: number; gzip: number; brotli: number | null };

function sizeSpecs(
  out: CheckSpec[],
  base: string[],
  limits: Sizes | undefined,
  what: string,
  read: (r: Results) => SizeValues | undefined,
): void {
  add(out, base, limits, ['raw', 'gzip', 'brotli'], (k) => ({
    label: `${what} (${k})`,
    kind: 'size',
    operator: '<=',
    measure: (r) => one(read(r)?.[k as keyof SizeValues]),
  }));
}

function bundleSpecs(out: CheckSpec[], b: NonNullable<Budget['bundle']>): void {
  sizeSpecs(out, ['bundle', 'total'], b.total, 'total bundle', (r) => r.bundle?.total);
  sizeSpecs(out, ['bundle', 'initialJs'], b.initialJs, 'initial JavaScript', (r) => r.bundle?.initialJs);
  for (const [name, limits] of Object.entries(b.entries ?? {})) {
    sizeSpecs(out, ['bundle', 'entries', name], limits, `entry ${name}`, (r) =>
      r.bundle?.entries.find((e) => e.name === name),
    );
  }
  for (const [name, limits] of Object.entries(b.chunks ?? {})) {
    sizeSpecs(out, ['bundle', 'chunks', name], limits, `chunk ${name}`, (r) =>
      r.bundle?.chunks.find((e) => e.name === name),
    );
  }
}

function cacheSpecs(out: CheckSpec[], c: NonNullable<Budget['cache']>): void {
  add(out, ['cache'], c, ['hitRatio'], () => ({
    label: 'cache hit ratio',
    kind: 'ratio',
    operator: '>=',
    measure: (r) => one(r.cache?.hitRatio),
  }));
  for (const [kind, limits] of Object.entries(c.kinds ?? {})) {
    add(out, ['cache', 'kinds', kind], limits, ['hitRatio'], () => ({
      label: `${kind} cache hit ratio`,
      kind: 'ratio',
      operator: '>=',
      measure: (r) => one(r.cache?.byKind?.[kind]?.hitRatio),
    }));
  }
}

/** Every entry of a perfkit budget with its pointer, kind, default operator and how to measure it. */
export function specsOf(budget: Budget): CheckSpec[] {
  const out: CheckSpec[] = [];
  if (budget.api) apiSpecs(out, budget.api);
  if (budget.database) databaseSpecs(out, budget.database);
  if (budget.frontend) frontendSpecs(out, budget.frontend);
  if (budget.bundle) bundleSpecs(out, budget.bundle);
  if (budget.cache) cacheSpecs(out, budget.cache);
  return out;
}
