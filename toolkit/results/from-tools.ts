import path from 'node:path';
import type { BundleResult, SizeTriple } from '../bundle/types.ts';
import type {
  LighthouseAuditResult,
  LighthouseMetrics,
  LighthouseResult as LighthouseCollection,
  LighthouseScores,
} from '../lighthouse/types.ts';
import { browserVersionNumber } from './machine.ts';
import type { BundleResults, LighthouseResult, MachineFacts } from './schema.ts';
import type { LIGHTHOUSE_CATEGORIES, LIGHTHOUSE_METRICS } from './schema-frontend.ts';

type Category = (typeof LIGHTHOUSE_CATEGORIES)[number];
type MetricId = (typeof LIGHTHOUSE_METRICS)[number];

const CATEGORY: Record<keyof LighthouseScores, Category> = {
  performance: 'performance',
  accessibility: 'accessibility',
  bestPractices: 'best-practices',
  seo: 'seo',
};
const METRIC: Partial<Record<keyof LighthouseMetrics, MetricId>> = {
  fcp: 'first-contentful-paint',
  lcp: 'largest-contentful-paint',
  tbt: 'total-blocking-time',
  cls: 'cumulative-layout-shift',
  si: 'speed-index',
  tti: 'interactive',
  ttfb: 'server-response-time',
  maxPotentialFid: 'max-potential-fid',
};

/** Paths in the model are relative to the run folder so the report's links work wherever it is opened. */
const relative = (runDir: string, file: string): string =>
  (path.isAbsolute(file) ? path.relative(runDir, file) : file).split(path.sep).join('/');

/** Runs that count: finished without a runtime error and scored (as the aggregation's candidates). */
const validRuns = (a: LighthouseAuditResult) =>
  a.runs.filter((r) => r.runtimeError === null && r.scores.performance !== null);

/**
 * One page · preset · mode in the model: every score and metric is its median over the valid runs
 * (the spread gives min, quartiles and max, `values` each run's figure); the representative run
 * (the linked report) is the one the aggregation chose, named by `representativeRun`.
 */
function auditToModel(a: LighthouseAuditResult, runDir: string): LighthouseResult {
  const rep = a.representative;
  const valid = validRuns(a);
  const scores: LighthouseResult['scores'] = {};
  const metrics: LighthouseResult['metrics'] = {};
  const spread: LighthouseResult['spread'] = {};
  const values: NonNullable<LighthouseResult['values']> = {};
  for (const [key, id] of Object.entries(CATEGORY) as Array<[keyof LighthouseScores, Category]>) {
    const s = a.spread.scores[key];
    scores[id] = s ? s.median : null;
    if (s) spread[id] = { min: s.min, max: s.max, q1: s.q1, q3: s.q3 };
    values[id] = valid.map((r) => r.scores[key]);
  }
  for (const [key, id] of Object.entries(METRIC) as Array<[keyof LighthouseMetrics, MetricId]>) {
    const s = a.spread.metrics[key];
    metrics[id] = s ? s.median : null;
    if (s) spread[id] = { min: s.min, max: s.max, q1: s.q1, q3: s.q3 };
    values[id] = valid.map((r) => r.metrics[key]);
  }
  const withReports = a.runs.filter((r) => r.jsonPath);
  const representativeRun = withReports.indexOf(rep);
  return {
    page: a.page,
    url: a.url,
    preset: a.preset,
    mode: a.mode,
    runs: a.runs.length,
    aggregation: a.aggregation,
    scores,
    metrics,
    spread,
    values,
    ...(representativeRun >= 0 ? { representativeRun } : {}),
    runWarnings: [...new Set(a.runs.flatMap((r) => r.warnings))],
    ...(rep.findings ? { findings: rep.findings } : {}),
    resourceSummary: Object.entries(rep.resources).map(([resourceType, r]) => ({
      resourceType,
      requestCount: r?.requestCount ?? 0,
      transferSize: r?.transferSize ?? 0,
    })),
    reports: a.runs.flatMap((r) =>
      r.jsonPath
        ? [{ json: relative(runDir, r.jsonPath), ...(r.htmlPath ? { html: relative(runDir, r.htmlPath) } : {}) }]
        : [],
    ),
  };
}

/** What a Lighthouse collection says about the machine: the browser's and Lighthouse's versions, the median benchmarkIndex. */
export function machineFromLighthouse(
  c: LighthouseCollection,
): Partial<Pick<MachineFacts, 'chromium' | 'lighthouse' | 'benchmarkIndex'>> {
  return {
    ...(c.browserVersion ? { chromium: browserVersionNumber(c.browserVersion) } : {}),
    ...(c.lighthouseVersion ? { lighthouse: c.lighthouseVersion } : {}),
    ...(c.benchmarkIndex === undefined ? {} : { benchmarkIndex: c.benchmarkIndex }),
  };
}

/** Lighthouse collection (toolkit/lighthouse) → frontend.lighthouse entries; report paths made relative to runDir. */
export function fromLighthouseResult(collection: LighthouseCollection, runDir: string): LighthouseResult[] {
  return collection.audits.map((a) => auditToModel(a, runDir));
}

const sum = (list: SizeTriple[]): SizeTriple =>
  list.reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });

/** Bundle analysis (toolkit/bundle) → the bundle part; initial JS counts each file once even when entries share it. */
export function fromBundleResult(b: BundleResult, runDir: string): BundleResults {
  const initialFiles = new Set(b.entrypoints.flatMap((e) => e.assets));
  const chunkNames = (file: string) => b.chunks.filter((c) => c.files.includes(file)).map((c) => c.names[0] ?? c.id);
  const out: BundleResults = {
    tool: `webpack ${b.webpackVersion ?? 'unknown'}`,
    total: b.total,
    initialJs: sum(b.assets.filter((a) => a.kind === 'js' && initialFiles.has(a.name)).map((a) => a.size)),
    entries: b.entrypoints.map((e) => ({ name: e.name, assets: e.assets, ...e.total })),
    chunks: b.chunks.map((c) => ({ name: c.names[0] ?? c.id, initial: c.initial, assets: c.files, ...c.size })),
    assets: b.assets.map((a) => ({
      name: a.name,
      type: a.kind === 'js' || a.kind === 'css' ? a.kind : 'other',
      initial: initialFiles.has(a.name),
      chunks: chunkNames(a.name),
      ...a.size,
    })),
  };
  if (b.reportPath) out.analyzerReport = relative(runDir, b.reportPath);
  return out;
}
