import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer';
import type { Browser } from 'puppeteer';
import { ToolkitError } from '../errors.ts';
import { recordProcess } from '../process/leftovers.ts';
import { pdeathsigLauncher } from '../process/pdeathsig.ts';
import { findChrome } from './find-chrome.ts';
import { guardProcess, isProcessAlive, killProcessTree, removeDirs } from './process-guard.ts';

/** Flags every toolkit browser runs with: headless, no sandbox (we run as root in CI), and no background traffic that would skew measurements. */
export const BASE_CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Makes every host name except localhost fail to resolve, so the page cannot
 * reach third-party hosts by accident (the rule applies to IP literals too, hence the loopback exclusions).
 */
const LOOPBACK_ONLY_FLAG =
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , EXCLUDE [::1]';

/** Options of {@link launchBrowser}. */
export interface LaunchBrowserOptions {
  /** Browser binary; defaults to {@link findChrome} (CHROME_PATH, else PATH). */
  chromePath?: string;
  /** Environment to search and to pass to the browser (its TMPDIR is replaced by a private folder). */
  env: Record<string, string | undefined>;
  /** Receives people's progress lines (stderr). */
  log?: (line: string) => void;
  /** Extra Chromium flags. */
  args?: string[];
  /** Closes the browser when aborted (the CLI's SIGINT/SIGTERM signal). */
  signal?: AbortSignal;
  /** Lets the browser resolve non-loopback host names; off by default. */
  allowNonLoopback?: boolean;
  /** Parent folder of the per-launch profile and TMPDIR; defaults to the system temp folder. */
  tmpRoot?: string;
  /** How long a graceful close may take before the process group is killed (ms, default 5000). */
  closeTimeoutMs?: number;
}

/** A running browser; close() always kills it and removes its profile and temp folders. */
export interface LaunchedBrowser {
  browser: Browser;
  /** The main browser process id (for checks that nothing is left behind). */
  pid: number | undefined;
  executablePath: string;
  /** e.g. "Chrome/131.0.6778.85" (from the DevTools protocol). */
  version: string;
  userDataDir: string;
  close(): Promise<void>;
}

/** Waits for a promise to settle (either way), or ms at most: for browser calls that can hang. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([
      promise.then(
        () => undefined,
        () => undefined,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForExit(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

function makeDirs(tmpRoot: string): { root: string; profile: string; tmp: string } {
  const root = mkdtempSync(join(tmpRoot, 'perfkit-browser-'));
  const profile = join(root, 'profile');
  const tmp = join(root, 'tmp');
  mkdirSync(profile);
  mkdirSync(tmp);
  return { root, profile, tmp };
}

/**
 * Starts the system Chromium through puppeteer with a fresh profile and its
 * own TMPDIR. The browser is closed on close(), on the abort signal, and on
 * process exit or SIGINT/SIGTERM/SIGHUP, so no chromium outlives us.
 */
export async function launchBrowser(options: LaunchBrowserOptions): Promise<LaunchedBrowser> {
  const executablePath = options.chromePath ?? findChrome(options.env);
  const dirs = makeDirs(options.tmpRoot ?? tmpdir());
  const guarded = { pid: undefined as number | undefined, dirs: [dirs.root] };
  const unguard = guardProcess(guarded);
  const args = [
    ...BASE_CHROME_FLAGS,
    ...(options.allowNonLoopback ? [] : [LOOPBACK_ONLY_FLAG]),
    ...(options.args ?? []),
  ];
  // Linux: through the parent-death launcher, so the kernel kills the browser if we die (even by SIGKILL).
  const launcher = pdeathsigLauncher(options.env).path;
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: launcher ?? executablePath,
      headless: true,
      args,
      userDataDir: dirs.profile,
      env: { ...options.env, TMPDIR: dirs.tmp, ...(launcher ? { PERFKIT_PDEATHSIG_EXEC: executablePath } : {}) },
      // Our guard handles signals; puppeteer's own SIGINT handler would exit the process before other cleanup runs.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 30_000,
    });
  } catch (err) {
    removeDirs(guarded.dirs);
    unguard();
    throw new ToolkitError(
      'BROWSER_MISSING',
      `could not start ${executablePath}: ${(err as Error).message.split('\n')[0]}`,
      {
        fix:
          'check that `' +
          executablePath +
          ' --version` works; else `apt-get install chromium`, or `npx puppeteer browsers install chrome` and set CHROME_PATH',
        cause: err,
      },
    );
  }
  const pid = browser.process()?.pid;
  guarded.pid = pid;
  // In the run's record too: should we be killed, the next run stops it (puppeteer starts it as a group leader).
  const unrecord =
    pid === undefined ? () => undefined : recordProcess({ name: 'chromium', pid, marker: 'chrom', group: true });
  const version = await browser.version();
  options.log?.(`browser: ${version} (${executablePath}, pid ${pid ?? '?'})`);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      options.signal?.removeEventListener('abort', onAbort);
      await settleWithin(browser.close(), options.closeTimeoutMs ?? 5000);
      if (pid !== undefined && isProcessAlive(pid)) {
        killProcessTree(pid);
        await waitForExit(pid, 2000);
      }
      removeDirs(guarded.dirs);
      unguard();
      unrecord();
    })();
    return closing;
  };
  const onAbort = (): void => void close();
  if (options.signal?.aborted) {
    await close();
    throw new ToolkitError('USAGE', 'interrupted before the browser started');
  }
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return { browser, pid, executablePath, version, userDataDir: dirs.profile, close };
}
