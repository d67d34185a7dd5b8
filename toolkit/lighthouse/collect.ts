import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import type { Flags, Config } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import type { Page } from 'puppeteer';
import { ToolkitError } from '../errors.ts';
import { assertLoopbackUrl, launchBrowser } from '../browser/index.ts';
import type { LaunchedBrowser } from '../browser/index.ts';
import { computeSpread, median, selectRepresentativeRun } from './aggregate.ts';
import { assertAuditedPage, login } from './auth.ts';
import { summarizeRun } from './extract.ts';
import type { LhrLike } from './extract.ts';
import { formatRunLine } from './format.ts';
import type {
  BrowserSource,
  LighthouseAggregation,
  LighthouseAuditResult,
  LighthouseMode,
  LighthousePageConfig,
  LighthousePreset,
  LighthouseResult,
  LighthouseRunSummary,
} from './types.ts';

/** Options of {@link runLighthouse}. */
export interface RunLighthouseOptions extends BrowserSource {
  /** Origin of the target, e.g. http://127.0.0.1:3000 (must be loopback unless allowNonLoopback). */
  baseUrl: string;
  pages: LighthousePageConfig[];
  /** Default ['mobile']. */
  presets?: LighthousePreset[];
  /** Default ['cold']. */
  modes?: LighthouseMode[];
  /** Runs per page × preset × mode, default 3. */
  runs?: number;
  /** Default 'median'. */
  aggregation?: LighthouseAggregation;
  /** Folder for every run's JSON and HTML report, e.g. reports/<run>/lighthouse. */
  outDir: string;
}

interface RunContext {
  options: RunLighthouseOptions;
  browser: LaunchedBrowser;
  loggedIn: Set<string>;
  lighthouseVersion: string;
}

/** Runs in the page (a string: this code is typed for Node, not the DOM). */
const WAIT_FOR_SERVICE_WORKER = `(async () => {
  if (!('serviceWorker' in navigator)) return;
  // Apps often register their worker on the load event: give that a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const registrations = await navigator.serviceWorker.getRegistrations();
  if (registrations.length === 0) return;
  await Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(resolve, 5000))]);
})()`;

/**
 * On a warm run the page is loaded once first so the service worker installs
 * and the HTTP cache and Cache Storage fill; Lighthouse then loads it again
 * without resetting storage.
 */
async function primeForWarmLoad(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.evaluate(WAIT_FOR_SERVICE_WORKER);
}

/**
 * What a cold run clears: Lighthouse's defaults plus IndexedDB and Web SQL, so that nothing an
 * earlier visit stored (a service worker's databases) makes a "cold" run less cold. Cookies and
 * localStorage stay: a page marked auth must stay logged in.
 */
const COLD_CLEARS: NonNullable<Flags['clearStorageTypes']> = [
  'file_systems',
  'shader_cache',
  'service_workers',
  'cache_storage',
  'indexeddb',
  'websql',
];

function writeReports(outDir: string, base: string, report: string | string[]): { jsonPath: string; htmlPath: string } {
  const [json, html] = Array.isArray(report) ? report : [report, ''];
  const safe = base.replace(/[^A-Za-z0-9_.-]+/g, '-');
  const jsonPath = join(outDir, `${safe}.report.json`);
  const htmlPath = join(outDir, `${safe}.report.html`);
  writeFileSync(jsonPath, json ?? '');
  writeFileSync(htmlPath, html ?? '');
  return { jsonPath, htmlPath };
}

async function runOnce(
  ctx: RunContext,
  target: LighthousePageConfig,
  preset: LighthousePreset,
  mode: LighthouseMode,
  run: number,
): Promise<LighthouseRunSummary> {
  const url = new URL(target.path, ctx.options.baseUrl).href;
  const page = await ctx.browser.browser.newPage();
  try {
    if (mode === 'warm') await primeForWarmLoad(page, url);
    const flags: Flags =
      mode === 'warm'
        ? { output: ['json', 'html'], logLevel: 'error', disableStorageReset: true }
        : { output: ['json', 'html'], logLevel: 'error', clearStorageTypes: COLD_CLEARS };
    const config: Config | undefined = preset === 'desktop' ? desktopConfig : undefined;
    const result = await lighthouse(url, flags, config, page);
    if (!result)
      throw new ToolkitError('LIGHTHOUSE_FAILED', `Lighthouse returned no result for ${url}`, {
        fix: 'run again with --debug',
      });
    ctx.lighthouseVersion = result.lhr.lighthouseVersion;
    const files = writeReports(ctx.options.outDir, `${target.name}-${preset}-${mode}-run${run}`, result.report);
    const summary = summarizeRun(result.lhr as unknown as LhrLike, { page: target.name, preset, mode, run, ...files });
    if (target.auth && summary.runtimeError === null) assertAuditedPage(url, summary.finalUrl, target.name);
    return summary;
  } catch (err) {
    // Interrupted: the browser was closed under Lighthouse; report the interruption, not a Lighthouse failure.
    if (ctx.options.signal?.aborted) throw ctx.options.signal.reason;
    if (err instanceof ToolkitError) throw err;
    throw new ToolkitError(
      'LIGHTHOUSE_FAILED',
      `Lighthouse failed on ${url} (${preset}, ${mode}, run ${run}): ${(err as Error).message}`,
      {
        fix: 'check that the page loads in a browser; run with --debug for the stack',
        cause: err,
      },
    );
  } finally {
    await page.close().catch(() => undefined);
  }
}

async function ensureLoggedIn(ctx: RunContext, target: LighthousePageConfig): Promise<void> {
  if (!target.auth) return;
  const key = `${target.auth.email}\n${target.auth.api ?? ''}\n${target.auth.loginPath ?? ''}`;
  if (ctx.loggedIn.has(key)) return;
  const page = await ctx.browser.browser.newPage();
  try {
    await login(page, ctx.options.baseUrl, target.auth);
  } finally {
    await page.close().catch(() => undefined);
  }
  ctx.loggedIn.add(key);
}

/** A run that failed in Lighthouse's trace recording, not in the page: its error code (the run is repeated once). */
export function traceFailure(summary: Pick<LighthouseRunSummary, 'runtimeError'>): string | undefined {
  const code = summary.runtimeError?.split(':')[0];
  return code === 'NO_NAVSTART' || code === 'NO_TRACING_STARTED' ? code : undefined;
}

async function auditPage(
  ctx: RunContext,
  target: LighthousePageConfig,
  preset: LighthousePreset,
  mode: LighthouseMode,
): Promise<LighthouseAuditResult> {
  const total = ctx.options.runs ?? 3;
  const aggregation = ctx.options.aggregation ?? 'median';
  const runs: LighthouseRunSummary[] = [];
  for (let run = 1; run <= total; run++) {
    ctx.options.signal?.throwIfAborted();
    await ensureLoggedIn(ctx, target);
    let summary = await runOnce(ctx, target, preset, mode, run);
    const flake = traceFailure(summary);
    if (flake) {
      // Lighthouse's own advice for these ("Please run Lighthouse again"): the page is fine, the trace was not.
      ctx.options.log?.(`${formatRunLine(summary, total)}; running it again`);
      summary = await runOnce(ctx, target, preset, mode, run);
      summary.warnings = [`run ${run} was run twice: the first attempt failed with ${flake}`, ...summary.warnings];
    }
    runs.push(summary);
    ctx.options.log?.(formatRunLine(summary, total));
  }
  const index = selectRepresentativeRun(runs, aggregation);
  const representative = runs[index];
  if (representative === undefined) {
    const errors = [...new Set(runs.map((r) => r.runtimeError ?? 'no performance score'))].join('; ');
    throw new ToolkitError(
      'LIGHTHOUSE_FAILED',
      `Lighthouse page "${target.name}" (${preset}, ${mode}): no valid run out of ${total}: ${errors}`,
      {
        fix:
          'open the page in a browser and check that it renders content; see the saved reports in ' +
          ctx.options.outDir,
      },
    );
  }
  const url = new URL(target.path, ctx.options.baseUrl).href;
  return {
    page: target.name,
    url,
    preset,
    mode,
    aggregation,
    runs,
    representative,
    representativeIndex: index,
    spread: computeSpread(runs),
  };
}

/**
 * Lighthouse leaves a few protocol calls unawaited; when the browser is closed
 * under it (an interrupt) they reject with "Target closed" and nobody catches
 * them. While closing, those are expected; anything else keeps Node's default
 * (crash on an unhandled rejection).
 */
function tolerateTeardownRejections(isClosing: () => boolean): () => void {
  const handler = (reason: unknown): void => {
    if (isClosing() && reason instanceof Error && /(Target|Session|Connection) closed/i.test(reason.message)) return;
    throw reason;
  };
  process.on('unhandledRejection', handler);
  // Stray rejections arrive just after the browser goes away: keep tolerating them briefly.
  return () => void setTimeout(() => process.off('unhandledRejection', handler), 2000).unref();
}

/**
 * Audits every configured page with Lighthouse 12 through puppeteer, for each
 * preset and mode, N times, keeping each run's JSON and HTML report in outDir
 * and reporting the run chosen by the aggregation rule plus the spread.
 */
export async function runLighthouse(options: RunLighthouseOptions): Promise<LighthouseResult> {
  assertLoopbackUrl(options.baseUrl, { allowNonLoopback: options.allowNonLoopback, source: 'lighthouse baseUrl' });
  if (options.pages.length === 0)
    throw new ToolkitError('CONFIG_INVALID', 'lighthouse: no pages to audit', {
      fix: 'add at least one { name, path } page',
    });
  mkdirSync(options.outDir, { recursive: true });
  const browser =
    options.browser ??
    (await launchBrowser({
      env: options.env,
      chromePath: options.chromePath,
      log: options.log,
      signal: options.signal,
      allowNonLoopback: options.allowNonLoopback,
    }));
  const ctx: RunContext = { options, browser, loggedIn: new Set(), lighthouseVersion: '' };
  let closing = false;
  const untolerate = tolerateTeardownRejections(() => closing || options.signal?.aborted === true);
  try {
    const audits: LighthouseAuditResult[] = [];
    for (const target of options.pages) {
      for (const preset of options.presets ?? ['mobile']) {
        for (const mode of options.modes ?? ['cold']) audits.push(await auditPage(ctx, target, preset, mode));
      }
    }
    const indexes = audits.flatMap((a) =>
      a.runs.flatMap((r) => (r.benchmarkIndex === undefined ? [] : [r.benchmarkIndex])),
    );
    return {
      baseUrl: options.baseUrl,
      outDir: options.outDir,
      lighthouseVersion: ctx.lighthouseVersion,
      browserVersion: browser.version,
      ...(indexes.length > 0 ? { benchmarkIndex: median(indexes) } : {}),
      audits,
    };
  } finally {
    closing = true;
    if (!options.browser) await browser.close();
    untolerate();
  }
}
