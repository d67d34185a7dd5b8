/**
 * One Lighthouse 12 load of the logged-in dashboard (mobile defaults:
 * simulated slow 4G and 4× CPU), cold or warm, and the figures the bench
 * keeps from it: score, metrics, where the main thread's time went, and the
 * long tasks that make up Total Blocking Time.
 */
import lighthouse from 'lighthouse';
import type { Flags } from 'lighthouse';
import type { Browser, Page } from 'puppeteer';
import { ToolkitError } from '../../../toolkit/errors.ts';

/** cold: a returning, logged-in user with empty caches; warm: a repeat visit served by the installed service worker. */
export type LoadMode = 'cold' | 'warm';

/** Main-thread time by Lighthouse's task groups (ms, simulated: the trace's time × the CPU slowdown). */
export interface MainThreadBreakdown {
  scriptEvaluation: number;
  scriptParseCompile: number;
  styleLayout: number;
  paintCompositeRender: number;
  parseHTML: number;
  garbageCollection: number;
  other: number;
  total: number;
}

/** A main-thread task over 50 ms (simulated), with the script Lighthouse attributes it to. */
export interface LongTask {
  url: string;
  startMs: number;
  durationMs: number;
}

/** The figures of one run. */
export interface DashboardRun {
  performance: number | null;
  tbtMs: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  speedIndexMs: number | null;
  ttiMs: number | null;
  cls: number | null;
  mainThread: MainThreadBreakdown;
  /** Per script: evaluation and parse/compile time (ms, simulated), largest first. */
  bootup: { url: string; scriptingMs: number; parseCompileMs: number }[];
  longTasks: LongTask[];
  finalPath: string;
  runWarnings: string[];
  lighthouse: string;
}

// Lighthouse keeps cookies and localStorage (the user stays logged in) but, by default, also
// IndexedDB: the service worker's expiration database would then make a "cold" run less cold.
const COLD_CLEARS: NonNullable<Flags['clearStorageTypes']> = [
  'file_systems',
  'shader_cache',
  'service_workers',
  'cache_storage',
  'indexeddb',
];

/** Runs in the page (a string: this file is typed for Node, not the DOM). Resolves once a worker controls the page. */
const WAIT_FOR_CONTROLLER = `new Promise((resolve, reject) => {
  if (!('serviceWorker' in navigator)) return reject(new Error('no service worker support'));
  if (navigator.serviceWorker.controller) return resolve(true);
  const timer = setTimeout(() => reject(new Error('no service worker took control within 20 s')), 20000);
  navigator.serviceWorker.addEventListener('controllerchange', () => { clearTimeout(timer); resolve(true); });
})`;

/** Runs in the page: resolves once the worker's API cache holds the dashboard's answers (or after 10 s). */
const WAIT_FOR_API_CACHE = `(async () => {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const keys = await (await caches.open('perfkit-api-v1')).keys();
    const paths = keys.map((k) => new URL(k.url).pathname);
    if (['/api/dashboard', '/api/auth/me', '/api/external/rates'].every((p) => paths.includes(p))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})()`;

/** A first visit installs the service worker and fills its caches; the measured load is the next one. */
async function primeWarm(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForSelector('#dashboard-title', { timeout: 20_000 });
  await page.evaluate(WAIT_FOR_CONTROLLER);
  // One load under the worker's control so it has stored the API answers too, as on any later visit.
  await page.reload({ waitUntil: 'load', timeout: 30_000 });
  await page.waitForSelector('#dashboard-title', { timeout: 20_000 });
  await page.evaluate(WAIT_FOR_API_CACHE);
}

interface Audit {
  numericValue?: number;
  details?: { items?: Record<string, unknown>[] };
}

const round = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v));
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Script URLs relative to the origin, so builds on different ports compare by name. */
function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function breakdown(audit: Audit | undefined): MainThreadBreakdown {
  const out: MainThreadBreakdown = {
    scriptEvaluation: 0,
    scriptParseCompile: 0,
    styleLayout: 0,
    paintCompositeRender: 0,
    parseHTML: 0,
    garbageCollection: 0,
    other: 0,
    total: 0,
  };
  for (const item of audit?.details?.items ?? []) {
    const group = str(item.group) as keyof MainThreadBreakdown;
    if (group in out && group !== 'total') out[group] += num(item.duration);
    out.total += num(item.duration);
  }
  for (const key of Object.keys(out) as (keyof MainThreadBreakdown)[]) out[key] = Math.round(out[key]);
  return out;
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

/** The bench's figures from one Lighthouse result. */
export function figuresOf(lhr: Lhr): DashboardRun {
  const audit = (id: string): Audit | undefined => lhr.audits[id] as Audit | undefined;
  const value = (id: string): number | undefined => audit(id)?.numericValue;
  return {
    performance: lhr.categories.performance?.score ?? null,
    tbtMs: round(value('total-blocking-time')),
    fcpMs: round(value('first-contentful-paint')),
    lcpMs: round(value('largest-contentful-paint')),
    speedIndexMs: round(value('speed-index')),
    ttiMs: round(value('interactive')),
    cls: value('cumulative-layout-shift') ?? null,
    mainThread: breakdown(audit('mainthread-work-breakdown')),
    bootup: (audit('bootup-time')?.details?.items ?? []).map((item) => ({
      url: shortUrl(str(item.url)),
      scriptingMs: Math.round(num(item.scripting)),
      parseCompileMs: Math.round(num(item.scriptParseCompile)),
    })),
    longTasks: (audit('long-tasks')?.details?.items ?? []).map((item) => ({
      url: shortUrl(str(item.url)),
      startMs: Math.round(num(item.startTime)),
      durationMs: Math.round(num(item.duration)),
    })),
    finalPath: new URL(lhr.finalDisplayedUrl).pathname,
    runWarnings: lhr.runWarnings.map(String),
    lighthouse: lhr.lighthouseVersion,
  };
}

/** Loads `${origin}/dashboard` once under Lighthouse in a new tab of a logged-in browser. */
export async function measureDashboard(browser: Browser, origin: string, mode: LoadMode): Promise<DashboardRun> {
  const url = `${origin}/dashboard`;
  const page = await browser.newPage();
  try {
    if (mode === 'warm') await primeWarm(page, url);
    const flags: Flags =
      mode === 'warm'
        ? { output: 'json', logLevel: 'error', disableStorageReset: true }
        : { output: 'json', logLevel: 'error', clearStorageTypes: COLD_CLEARS };
    const result = await lighthouse(url, flags, undefined, page);
    if (!result)
      throw new ToolkitError('LIGHTHOUSE_FAILED', `Lighthouse returned no result for ${url}`, {
        fix: 'run again with --debug',
      });
    const { lhr } = result;
    if (lhr.runtimeError)
      throw new ToolkitError(
        'LIGHTHOUSE_FAILED',
        `Lighthouse on ${url}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`,
        {
          fix: 'check that the app answers at that origin',
        },
      );
    const figures = figuresOf(lhr);
    if (figures.finalPath !== '/dashboard')
      throw new ToolkitError('LOGIN_FAILED', `Lighthouse audited ${figures.finalPath}, not /dashboard (${mode} run)`, {
        fix: 'the session was not accepted: check the seeded account and that login succeeded',
      });
    return figures;
  } finally {
    await page.close().catch(() => undefined);
  }
}
