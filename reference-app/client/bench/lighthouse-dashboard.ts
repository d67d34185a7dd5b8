/**
 * Lighthouse 12 (mobile defaults: simulated slow 4G and 4× CPU) of the
 * logged-in dashboard, N runs cold and N warm, in the system Chromium. Starts
 * the whole app (stack, seed, server with the built client) unless --url names
 * a running one. With --compare REF it also builds the client of commit REF
 * and serves it from a second server on the same stack; the two builds' runs
 * alternate, so the machine's load falls on both alike. Prints one JSON line:
 * per build and mode the median (and min/max) of every figure, the
 * main-thread breakdown, and the targets.
 */
import type { Browser, Page } from 'puppeteer';
import { logger } from '../../../toolkit/cli/io.ts';
import type { CliIo } from '../../../toolkit/cli/io.ts';
import { launchBrowser } from '../../../toolkit/browser/index.ts';
import { EXIT, ToolkitError, usageError } from '../../../toolkit/errors.ts';
import { E2E_ACCOUNT as ACCOUNT, startFullApp } from '../test-support/full-app.ts';
import type { FullApp } from '../test-support/full-app.ts';
import { buildBaseline } from './baseline-build.ts';
import type { BaselineBuild } from './baseline-build.ts';
import { measureDashboard } from './lighthouse-run.ts';
import type { DashboardRun, LoadMode } from './lighthouse-run.ts';
import { scriptName, summarizeRuns } from './run-stats.ts';
import type { ModeSummary } from './run-stats.ts';

/** What the dashboard must reach, as the median of the runs, cold and warm. */
export const TARGETS = { performance: 0.98, tbtMs: 150 } as const;

const HELP = `Usage: npx tsx scripts/bench/lighthouse-dashboard.ts [--runs 5] [--modes cold,warm] [--compare REF] [--url URL] [--details] [--quiet]

Lighthouse (mobile defaults, simulated throttling) of the logged-in /dashboard:
N runs per mode, the median of each figure with its min and max, and where the
main thread's time went. Ends with one JSON line; exit 1 when a median misses
performance >= ${TARGETS.performance} or TBT <= ${TARGETS.tbtMs} ms.

  --runs N       runs per mode and build, 1 to 9 (default 5)
  --modes LIST   cold, warm or cold,warm (default cold,warm)
  --compare REF  also build the client of commit REF and measure it interleaved
  --url URL      measure a running app at this loopback origin instead of starting one
  --details      print each run's long tasks and script costs (stderr)
`;

interface Flags {
  url: string | undefined;
  runs: number;
  modes: LoadMode[];
  compare: string | undefined;
  details: boolean;
  quiet: boolean;
}

function parseModes(value: string | undefined): LoadMode[] {
  const modes = (value ?? '').split(',').filter(Boolean);
  if (modes.length === 0 || modes.some((m) => m !== 'cold' && m !== 'warm'))
    throw usageError(`--modes must be cold, warm or cold,warm, got "${value ?? ''}"`);
  return [...new Set(modes)] as LoadMode[];
}

export function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    url: undefined,
    runs: 5,
    modes: ['cold', 'warm'],
    compare: undefined,
    details: false,
    quiet: false,
  };
  const valueOf = (i: number): string => {
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw usageError(`${argv[i] ?? ''} needs a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--url') flags.url = valueOf(i++);
    else if (arg === '--compare') flags.compare = valueOf(i++);
    else if (arg === '--modes') flags.modes = parseModes(valueOf(i++));
    else if (arg === '--runs') {
      flags.runs = Number(valueOf(i++));
      if (!Number.isInteger(flags.runs) || flags.runs < 1 || flags.runs > 9)
        throw usageError('--runs must be an integer from 1 to 9');
    } else if (arg === '--details') flags.details = true;
    else if (arg === '--quiet') flags.quiet = true;
    else if (arg !== '--debug') throw usageError(`unknown argument "${arg ?? ''}"`);
  }
  if (flags.url !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(flags.url))
    throw usageError(`--url must be a loopback origin like http://127.0.0.1:3000, got "${flags.url}"`);
  if (flags.compare !== undefined && flags.url !== undefined)
    throw usageError('--compare starts its own servers and cannot be combined with --url', 'drop one of the two');
  return flags;
}

/** Logs in through the app's own form, as a user would: the cookie and the remembered user serve later loads. */
async function logIn(browser: Browser, origin: string): Promise<void> {
  const page: Page = await browser.newPage();
  try {
    await page.goto(`${origin}/login`, { waitUntil: 'load' });
    await page.waitForSelector('input[name="email"]', { timeout: 20_000 });
    await page.type('input[name="email"]', ACCOUNT.email);
    await page.type('input[name="password"]', ACCOUNT.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#dashboard-title', { timeout: 20_000 });
  } finally {
    await page.close();
  }
}

/** One build under test: where it is served and its runs so far. */
interface Subject {
  name: 'current' | 'baseline';
  origin: string;
  baseline?: BaselineBuild;
  runs: Record<LoadMode, DashboardRun[]>;
  /** Runs Lighthouse failed and that were measured again. */
  retries: number;
}

const fmt = (v: number | null, unit = ''): string => (v === null ? '?' : `${v}${unit}`);

function runLine(subject: Subject, mode: LoadMode, n: number, run: DashboardRun): string {
  const m = run.mainThread;
  return (
    `${subject.name} ${mode} run ${n}: perf ${fmt(run.performance)} · TBT ${fmt(run.tbtMs, ' ms')} · FCP ${fmt(run.fcpMs, ' ms')} · ` +
    `LCP ${fmt(run.lcpMs, ' ms')} · main thread ${m.total} ms (script ${m.scriptEvaluation}, parse/compile ${m.scriptParseCompile}, style/layout ${m.styleLayout})`
  );
}

function detailLines(run: DashboardRun): string[] {
  return [
    ...run.longTasks.map(
      (t) => `    long task ${t.durationMs} ms at ${t.startMs} ms: ${scriptName(t.url) || '(no script)'}`,
    ),
    ...run.bootup.map(
      (b) => `    ${scriptName(b.url)}: evaluation ${b.scriptingMs} ms, parse/compile ${b.parseCompileMs} ms`,
    ),
    ...run.runWarnings.map((w) => `    warning: ${w}`),
  ];
}

/** A summary misses the targets when its median score is low or its median TBT high. */
function failures(name: string, mode: LoadMode, s: ModeSummary): string[] {
  const out: string[] = [];
  if (s.performance === null || s.performance.median < TARGETS.performance)
    out.push(`${name} ${mode}: median performance ${s.performance?.median ?? 'none'} < ${TARGETS.performance}`);
  if (s.tbtMs === null || s.tbtMs.median > TARGETS.tbtMs)
    out.push(`${name} ${mode}: median TBT ${s.tbtMs?.median ?? 'none'} ms > ${TARGETS.tbtMs} ms`);
  return out;
}

/** Lighthouse sometimes loses a run's trace on a busy machine (NO_NAVSTART, NO_FCP): such a run is repeated, twice at most. */
const RETRIES = 2;

async function measureWithRetries(browser: Browser, subject: Subject, mode: LoadMode, log: (line: string) => void) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await measureDashboard(browser, subject.origin, mode);
    } catch (err) {
      if (!(err instanceof ToolkitError) || err.code !== 'LIGHTHOUSE_FAILED' || attempt >= RETRIES) throw err;
      subject.retries += 1;
      log(`${subject.name} ${mode}: ${err.message}; measuring again`);
    }
  }
}

async function measureAll(browser: Browser, subjects: Subject[], flags: Flags, log: (line: string) => void) {
  for (let n = 1; n <= flags.runs; n++) {
    // Alternate which build goes first, so neither always runs on a warmer (or busier) machine.
    const order = n % 2 === 1 ? subjects : [...subjects].reverse();
    for (const mode of flags.modes) {
      for (const subject of order) {
        const run = await measureWithRetries(browser, subject, mode, log);
        subject.runs[mode].push(run);
        log(runLine(subject, mode, n, run));
        if (flags.details) for (const line of detailLines(run)) log(line);
      }
    }
  }
}

function resultLine(subjects: Subject[], flags: Flags, browserVersion: string) {
  const builds = Object.fromEntries(
    subjects.map((s) => [
      s.name,
      {
        ...(s.baseline ? { ref: s.baseline.ref, commit: s.baseline.commit } : {}),
        retries: s.retries,
        ...Object.fromEntries(flags.modes.map((mode) => [mode, summarizeRuns(s.runs[mode])])),
      },
    ]),
  );
  const current = subjects[0] as Subject;
  const missed = flags.modes.flatMap((mode) => failures(current.name, mode, summarizeRuns(current.runs[mode])));
  const lighthouseVersion = current.runs[flags.modes[0] as LoadMode][0]?.lighthouse ?? null;
  return {
    bench: 'lighthouse-dashboard',
    page: '/dashboard',
    preset: 'mobile',
    throttling: 'simulate',
    runsPerMode: flags.runs,
    modes: flags.modes,
    aggregation: 'median per figure',
    lighthouse: lighthouseVersion,
    browser: browserVersion,
    builds,
    targets: TARGETS,
    failures: missed,
    pass: missed.length === 0,
  };
}

export async function runLighthouseDashboard(io: CliIo): Promise<number> {
  if (io.argv.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const flags = parseFlags(io.argv);
  const log = logger(io, flags.quiet);
  let app: FullApp | undefined;
  let baseline: BaselineBuild | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    if (flags.compare !== undefined) baseline = await buildBaseline(flags.compare, log);
    if (!flags.url) {
      log('starting the reference app (stack, seed, server)…');
      app = await startFullApp(io.env, log);
    }
    const subjects: Subject[] = [
      {
        name: 'current',
        origin: (flags.url ?? app?.url ?? '').replace(/\/$/, ''),
        runs: { cold: [], warm: [] },
        retries: 0,
      },
    ];
    if (baseline && app) {
      const server = await app.serveAnother(baseline.outDir);
      subjects.push({ name: 'baseline', origin: server.url, baseline, runs: { cold: [], warm: [] }, retries: 0 });
    }
    browser = await launchBrowser({ env: io.env, log, signal: io.signal });
    for (const subject of subjects) await logIn(browser.browser, subject.origin);
    await measureAll(browser.browser, subjects, flags, log);
    const line = resultLine(subjects, flags, browser.version);
    for (const failure of line.failures) log(`missed: ${failure}`);
    io.stdout.write(JSON.stringify(line) + '\n');
    return line.pass ? EXIT.ok : EXIT.budgetFailed;
  } finally {
    await browser?.close();
    await app?.close();
    baseline?.remove();
  }
}
