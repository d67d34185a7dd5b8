/**
 * One Lighthouse 12 run (default mobile settings: simulated slow 4G and 4×
 * CPU) of the logged-in dashboard, in the system Chromium. Starts the whole
 * app (stack, seed, server with the built client) unless --url names a
 * running one. Prints one JSON line with the score and the main metrics.
 */
import lighthouse from 'lighthouse';
import type { Page } from 'puppeteer';
import { logger } from '../../../toolkit/cli/io.ts';
import type { CliIo } from '../../../toolkit/cli/io.ts';
import { launchBrowser } from '../../../toolkit/browser/index.ts';
import { EXIT, ToolkitError, usageError } from '../../../toolkit/errors.ts';
import { E2E_ACCOUNT as ACCOUNT, startFullApp } from '../test-support/full-app.ts';
import type { FullApp } from '../test-support/full-app.ts';

export const PERFORMANCE_TARGET = 0.9;

interface Flags {
  url: string | undefined;
  runs: number;
  quiet: boolean;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { url: undefined, runs: 3, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--url') flags.url = argv[++i];
    else if (arg === '--runs') {
      flags.runs = Number(argv[++i]);
      if (!Number.isInteger(flags.runs) || flags.runs < 1 || flags.runs > 9)
        throw usageError('--runs must be an integer from 1 to 9');
    } else if (arg === '--quiet') flags.quiet = true;
    else if (arg !== '--debug') throw usageError(`unknown argument "${arg ?? ''}"`);
  }
  if (flags.url !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(flags.url)) {
    throw usageError(`--url must be a loopback origin like http://127.0.0.1:3000, got "${flags.url}"`);
  }
  return flags;
}

/** Logs in through the app's own form, as a user would; the session cookie then serves Lighthouse's load. */
async function logIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/login`, { waitUntil: 'load' });
  await page.waitForSelector('input[name="email"]', { timeout: 20_000 });
  await page.type('input[name="email"]', ACCOUNT.email);
  await page.type('input[name="password"]', ACCOUNT.password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#dashboard-title', { timeout: 20_000 });
}

const ms = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v));

interface RunFigures {
  performance: number | null;
  accessibility: number | null;
  lcpMs: number | null;
  fcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  speedIndexMs: number | null;
  finalPath: string;
  lighthouse: string;
  formFactor: string;
  throttling: string;
}

/** One Lighthouse load of /dashboard in a page whose browser holds the session cookie. */
async function measureOnce(page: Page, origin: string, port: number): Promise<RunFigures> {
  const result = await lighthouse(`${origin}/dashboard`, { port, output: 'json', logLevel: 'error' }, undefined, page);
  const lhr = result?.lhr;
  if (!lhr)
    throw new ToolkitError('LIGHTHOUSE_FAILED', 'Lighthouse returned no result for /dashboard', {
      fix: 'run again with --debug',
    });
  if (lhr.runtimeError)
    throw new ToolkitError('LIGHTHOUSE_FAILED', `Lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`, {
      fix: 'check that the app answers on --url',
    });
  const audit = (id: string) => lhr.audits[id]?.numericValue;
  return {
    performance: lhr.categories.performance?.score ?? null,
    accessibility: lhr.categories.accessibility?.score ?? null,
    lcpMs: ms(audit('largest-contentful-paint')),
    fcpMs: ms(audit('first-contentful-paint')),
    tbtMs: ms(audit('total-blocking-time')),
    cls: audit('cumulative-layout-shift') ?? null,
    speedIndexMs: ms(audit('speed-index')),
    finalPath: new URL(lhr.finalDisplayedUrl).pathname,
    lighthouse: lhr.lighthouseVersion,
    formFactor: lhr.configSettings.formFactor,
    throttling: lhr.configSettings.throttlingMethod,
  };
}

/** The run with the median score (Lighthouse CI's "median" aggregation): one noisy run does not decide. */
export function medianRun<T extends { performance: number | null }>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => (a.performance ?? -1) - (b.performance ?? -1));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median)
    throw new ToolkitError('LIGHTHOUSE_FAILED', 'no Lighthouse run completed', { fix: 'run again with --debug' });
  return median;
}

export async function runLighthouseDashboard(io: CliIo): Promise<number> {
  if (io.argv.includes('--help')) {
    io.stdout.write(
      'Usage: npx tsx scripts/bench/lighthouse-dashboard.ts [--url http://127.0.0.1:PORT] [--runs 3] [--quiet]\nLighthouse (mobile defaults) of the logged-in /dashboard, median of N runs; one JSON line; exit 1 below a 0.90 performance score.\n',
    );
    return EXIT.ok;
  }
  const flags = parseFlags(io.argv);
  const log = logger(io, flags.quiet);
  let app: FullApp | undefined;
  if (!flags.url) {
    log('starting the reference app (stack, seed, server)…');
    app = await startFullApp(io.env, log);
  }
  const origin = (flags.url ?? app?.url ?? '').replace(/\/$/, '');
  const browser = await launchBrowser({ env: io.env, log, signal: io.signal });
  try {
    const page = await browser.browser.newPage();
    await logIn(page, origin);
    const port = Number(new URL(browser.browser.wsEndpoint()).port);
    const runs: RunFigures[] = [];
    for (let i = 0; i < flags.runs; i++) {
      const run = await measureOnce(page, origin, port);
      log(
        `run ${i + 1}: performance ${run.performance ?? '?'} · accessibility ${run.accessibility ?? '?'} · LCP ${run.lcpMs ?? '?'} ms · FCP ${run.fcpMs ?? '?'} ms · TBT ${run.tbtMs ?? '?'} ms · CLS ${run.cls ?? '?'}`,
      );
      runs.push(run);
    }
    const median = medianRun(runs);
    const pass =
      median.performance !== null && median.performance >= PERFORMANCE_TARGET && median.finalPath === '/dashboard';
    const line = {
      bench: 'lighthouse-dashboard',
      url: '/dashboard',
      aggregation: 'median',
      ...median,
      allScores: runs.map((r) => r.performance),
      allLcpMs: runs.map((r) => r.lcpMs),
      target: PERFORMANCE_TARGET,
      pass,
    };
    io.stdout.write(JSON.stringify(line) + '\n');
    return pass ? EXIT.ok : EXIT.budgetFailed;
  } finally {
    await browser.close();
    await app?.close();
  }
}
