import type { LaunchedBrowser } from '../browser/index.ts';

/** Where a Lighthouse collection or a browser-under-load sampler gets its browser: launched with these, or `browser` reused. */
export interface BrowserSource {
  env: Record<string, string | undefined>;
  chromePath?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
  allowNonLoopback?: boolean;
  /** Reuse a running browser instead of launching one; it is left open afterwards. */
  browser?: LaunchedBrowser;
}

/** Device emulation: Lighthouse's default mobile config or its desktop config. */
export type LighthousePreset = 'mobile' | 'desktop';

/** cold: storage and caches reset before load (first visit); warm: a repeat visit after the service worker installed and caches were primed. */
export type LighthouseMode = 'cold' | 'warm';

/** How the reported run is chosen: see {@link selectRepresentativeRun}. */
export type LighthouseAggregation = 'median' | 'optimistic' | 'pessimistic';

/** How to log in before auditing a page that needs a session. */
export interface LighthouseAuth {
  email: string;
  password: string;
  /** JSON login endpoint POSTed from the page context (default /api/auth/login); used when loginPath is absent. */
  api?: string;
  /** A login form page to fill and submit instead of calling the API. */
  loginPath?: string;
  /** CSS selectors of the form's fields (default: email/username, password and submit inputs). */
  fields?: { email?: string | undefined; password?: string | undefined; submit?: string | undefined };
}

/** A page to audit, relative to the target's base URL. */
export interface LighthousePageConfig {
  /** Short id used in file names, progress lines and results (e.g. "dashboard"). */
  name: string;
  /** Path on the target, e.g. "/dashboard". */
  path: string;
  auth?: LighthouseAuth;
}

/** Category scores in [0, 1], null when Lighthouse could not score a category. */
export interface LighthouseScores {
  performance: number | null;
  accessibility: number | null;
  bestPractices: number | null;
  seo: number | null;
}

/** Lab metrics of one run in milliseconds (cls is unitless), null when Lighthouse could not measure them. */
export interface LighthouseMetrics {
  fcp: number | null;
  lcp: number | null;
  tbt: number | null;
  cls: number | null;
  si: number | null;
  tti: number | null;
  /** Main document server response time (audit server-response-time). */
  ttfb: number | null;
  /** Max potential first input delay (audit max-potential-fid). */
  maxPotentialFid: number | null;
  /** Total bytes transferred (audit total-byte-weight). */
  totalByteWeight: number | null;
}

/** Resource types of Lighthouse's resource-summary audit (the classic budget.json resource types). */
export type LighthouseResourceType =
  'document' | 'script' | 'stylesheet' | 'image' | 'media' | 'font' | 'other' | 'third-party' | 'total';

/** Request count and transfer size (bytes) for one resource type. */
export interface LighthouseResourceCount {
  requestCount: number;
  transferSize: number;
}

/** One not-passed (or still saving) opportunity or diagnostic of a run's performance category. */
export interface LighthouseFinding {
  /** Audit id, e.g. `unused-javascript`. */
  id: string;
  title: string;
  /** opportunity: details of type `opportunity` with estimated savings; diagnostic: any other. */
  kind: 'opportunity' | 'diagnostic';
  score: number | null;
  displayValue?: string;
  /** Estimated load-time saving (details.overallSavingsMs). */
  savingsMs?: number;
  /** Estimated transfer saving (details.overallSavingsBytes). */
  savingsBytes?: number;
  /** Estimated saving per metric acronym (LCP, FCP, TBT, CLS, INP), only those above zero. */
  metricSavings?: Record<string, number>;
}

/** The figures of one Lighthouse run, with where its full reports were written. */
export interface LighthouseRunSummary {
  page: string;
  preset: LighthousePreset;
  mode: LighthouseMode;
  /** 1-based run number. */
  run: number;
  requestedUrl: string;
  /** The URL Lighthouse finally audited (after redirects). */
  finalUrl: string;
  fetchTime: string;
  scores: LighthouseScores;
  metrics: LighthouseMetrics;
  resources: Partial<Record<LighthouseResourceType, LighthouseResourceCount>>;
  /** Set when Lighthouse reported a fatal problem (e.g. NO_FCP); such runs are never selected. */
  runtimeError: string | null;
  warnings: string[];
  /** The performance category's opportunities and diagnostics worth acting on (absent in older summaries). */
  findings?: LighthouseFinding[];
  /** Lighthouse's benchmarkIndex of the machine, measured just before this run (higher: a faster CPU). */
  benchmarkIndex?: number;
  jsonPath: string | null;
  htmlPath: string | null;
}

/** Minimum, median and maximum of one figure over the valid runs (null when no run measured it). */
export interface LighthouseSpread {
  min: number;
  /** First and third quartile (IQR = q3 - q1). */
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** One page × preset × mode audited N times, with the representative run and the spread over runs. */
export interface LighthouseAuditResult {
  page: string;
  url: string;
  preset: LighthousePreset;
  mode: LighthouseMode;
  aggregation: LighthouseAggregation;
  runs: LighthouseRunSummary[];
  /** The run reported: chosen among runs without runtimeError by the aggregation rule. */
  representative: LighthouseRunSummary;
  /** Index of the representative in runs. */
  representativeIndex: number;
  spread: {
    scores: Partial<Record<keyof LighthouseScores, LighthouseSpread>>;
    metrics: Partial<Record<keyof LighthouseMetrics, LighthouseSpread>>;
  };
}

/** Everything one Lighthouse collection produced. */
export interface LighthouseResult {
  baseUrl: string;
  outDir: string;
  lighthouseVersion: string;
  /** The browser's own version string, e.g. `HeadlessChrome/143.0.7499.40`. */
  browserVersion: string;
  /** Median benchmarkIndex over every run that reported one (absent when none did). */
  benchmarkIndex?: number;
  audits: LighthouseAuditResult[];
}
