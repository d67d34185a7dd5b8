import { extractFindings, type FindingsSource } from './findings.ts';
import type {
  LighthouseMetrics,
  LighthouseResourceCount,
  LighthouseResourceType,
  LighthouseRunSummary,
  LighthouseScores,
} from './types.ts';

/** The parts of a Lighthouse result (LHR) this module reads; real LHRs satisfy it, tests can build small ones. */
export interface LhrLike {
  lighthouseVersion: string;
  requestedUrl?: string;
  finalDisplayedUrl?: string;
  fetchTime: string;
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
  /** `benchmarkIndex`: how fast this machine ran Lighthouse's fixed CPU benchmark before the run. */
  environment?: { benchmarkIndex?: number };
  categories: Record<string, { score: number | null; auditRefs?: Array<{ id: string; group?: string }> } | undefined>;
  audits: Record<string, ({ numericValue?: number; details?: unknown } & FindingsSource['audits'][string]) | undefined>;
}

const METRIC_AUDITS: Record<keyof LighthouseMetrics, string> = {
  fcp: 'first-contentful-paint',
  lcp: 'largest-contentful-paint',
  tbt: 'total-blocking-time',
  cls: 'cumulative-layout-shift',
  si: 'speed-index',
  tti: 'interactive',
  ttfb: 'server-response-time',
  maxPotentialFid: 'max-potential-fid',
  totalByteWeight: 'total-byte-weight',
};

const CATEGORY_IDS: Record<keyof LighthouseScores, string> = {
  performance: 'performance',
  accessibility: 'accessibility',
  bestPractices: 'best-practices',
  seo: 'seo',
};

const RESOURCE_TYPES = new Set<string>([
  'document',
  'script',
  'stylesheet',
  'image',
  'media',
  'font',
  'other',
  'third-party',
  'total',
]);

function numeric(lhr: LhrLike, auditId: string): number | null {
  const value = lhr.audits[auditId]?.numericValue;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function extractScores(lhr: LhrLike): LighthouseScores {
  const score = (id: string): number | null => {
    const value = lhr.categories[id]?.score;
    return typeof value === 'number' ? value : null;
  };
  return {
    performance: score(CATEGORY_IDS.performance),
    accessibility: score(CATEGORY_IDS.accessibility),
    bestPractices: score(CATEGORY_IDS.bestPractices),
    seo: score(CATEGORY_IDS.seo),
  };
}

export function extractMetrics(lhr: LhrLike): LighthouseMetrics {
  const entries = Object.entries(METRIC_AUDITS).map(([key, audit]) => [key, numeric(lhr, audit)]);
  return Object.fromEntries(entries) as LighthouseMetrics;
}

/** Per-type request counts and transfer sizes from the hidden resource-summary audit (Lighthouse 12 dropped budgets but kept it). */
export function extractResources(lhr: LhrLike): Partial<Record<LighthouseResourceType, LighthouseResourceCount>> {
  const details = lhr.audits['resource-summary']?.details as { items?: unknown[] } | undefined;
  const out: Partial<Record<LighthouseResourceType, LighthouseResourceCount>> = {};
  for (const item of details?.items ?? []) {
    const row = item as { resourceType?: unknown; requestCount?: unknown; transferSize?: unknown };
    if (typeof row.resourceType !== 'string' || !RESOURCE_TYPES.has(row.resourceType)) continue;
    out[row.resourceType as LighthouseResourceType] = {
      requestCount: typeof row.requestCount === 'number' ? row.requestCount : 0,
      transferSize: typeof row.transferSize === 'number' ? row.transferSize : 0,
    };
  }
  return out;
}

/** Identifies a run; the rest of a summary comes from the LHR. */
export interface RunIdentity {
  page: string;
  preset: LighthouseRunSummary['preset'];
  mode: LighthouseRunSummary['mode'];
  run: number;
  jsonPath: string | null;
  htmlPath: string | null;
}

/** Reduces a full LHR to the figures the toolkit reports and budgets. */
export function summarizeRun(lhr: LhrLike, id: RunIdentity): LighthouseRunSummary {
  return {
    ...id,
    requestedUrl: lhr.requestedUrl ?? '',
    finalUrl: lhr.finalDisplayedUrl ?? lhr.requestedUrl ?? '',
    fetchTime: lhr.fetchTime,
    scores: extractScores(lhr),
    metrics: extractMetrics(lhr),
    resources: extractResources(lhr),
    runtimeError: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : null,
    warnings: lhr.runWarnings ?? [],
    findings: extractFindings(lhr),
    ...(typeof lhr.environment?.benchmarkIndex === 'number' && Number.isFinite(lhr.environment.benchmarkIndex)
      ? { benchmarkIndex: lhr.environment.benchmarkIndex }
      : {}),
  };
}
