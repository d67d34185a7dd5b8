import type { Page } from 'puppeteer';
import { assertLoopbackUrl, launchBrowser, settleWithin } from '../browser/index.ts';
import { login } from './auth.ts';
import { readPageTimings } from './page-timings.ts';
import type { PageTimings } from './page-timings.ts';
import { summarizeSamples } from './sample-stats.ts';
import type { BrowserLoadSample, BrowserUnderLoadSummary } from './sample-stats.ts';
import type { BrowserSource, LighthouseAuth } from './types.ts';

/** Options of {@link startBrowserUnderLoad}. */
export interface BrowserUnderLoadOptions extends BrowserSource {
  /** Page to reload, e.g. http://127.0.0.1:3000/dashboard (loopback unless allowNonLoopback). */
  url: string;
  /** Time between the starts of two loads (a slow load delays the next one, never overlaps it). */
  intervalMs: number;
  auth?: LighthouseAuth;
  onSample?: (sample: BrowserLoadSample) => void;
  /** Safety bounds: stop after this many samples (default 10 000) or this long (default 1 h). */
  maxSamples?: number;
  maxDurationMs?: number;
  /** How long after load to wait for the app's renderTime measure (default min(intervalMs, 5000)). */
  renderWaitMs?: number;
  navigationTimeoutMs?: number;
}

/** A running sampler; stop() ends it, closes what it started and summarises. */
export interface BrowserUnderLoadHandle {
  readonly samples: readonly BrowserLoadSample[];
  /** Pid of the browser doing the loads. */
  readonly pid: number | undefined;
  stop(): Promise<BrowserUnderLoadSummary>;
}

/** The promise's value, or an error naming what took longer than ms (the page stopped answering). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long stop() waits for the page to close and for the sample in flight. */
const STOP_WAIT_MS = 5000;

async function takeSample(page: Page, options: BrowserUnderLoadOptions, seq: number): Promise<BrowserLoadSample> {
  const startedAt = Date.now();
  const base = { seq, startedAt, url: options.url };
  try {
    const response = await page.goto(options.url, {
      waitUntil: 'load',
      timeout: options.navigationTimeoutMs ?? 30_000,
    });
    const timings = await within(
      readPageTimings(page, options.renderWaitMs ?? Math.min(options.intervalMs, 5000)),
      options.navigationTimeoutMs ?? 30_000,
      "reading the page's timings",
    );
    const finalUrl = page.url();
    // A logged-in page that ends elsewhere (the login page) measured the wrong thing: count it as an error.
    const lost = options.auth !== undefined && new URL(finalUrl).pathname !== new URL(options.url).pathname;
    return {
      ...base,
      finalUrl,
      status: response?.status() ?? null,
      ...timings,
      error: lost ? `ended at ${new URL(finalUrl).pathname} (session not accepted)` : null,
    };
  } catch (err) {
    const none: PageTimings = {
      loadTime: null,
      renderTime: null,
      renderSource: null,
      fcp: null,
      lcp: null,
      ttfb: null,
      cls: null,
    };
    return {
      ...base,
      finalUrl: page.url(),
      status: null,
      ...none,
      error: (err as Error).message.split('\n')[0] ?? 'error',
    };
  }
}

/**
 * While a load scenario runs, reloads a page in headless Chromium every
 * intervalMs and records loadTime and renderTime, so the report can show what
 * users see while the backend is under load. Bounded by maxSamples and
 * maxDurationMs; stop() (or the abort signal) ends it and closes the browser.
 */
export async function startBrowserUnderLoad(options: BrowserUnderLoadOptions): Promise<BrowserUnderLoadHandle> {
  assertLoopbackUrl(options.url, { allowNonLoopback: options.allowNonLoopback, source: 'browser-under-load url' });
  const launched =
    options.browser ??
    (await launchBrowser({
      env: options.env,
      chromePath: options.chromePath,
      log: options.log,
      allowNonLoopback: options.allowNonLoopback,
    }));
  const page = await launched.browser.newPage();
  if (options.auth) {
    try {
      await login(page, options.url, options.auth);
    } catch (err) {
      if (!options.browser) await launched.close();
      throw err;
    }
  }
  const samples: BrowserLoadSample[] = [];
  let stopped = false;
  let wake: () => void = () => undefined;
  const deadline = Date.now() + (options.maxDurationMs ?? 3_600_000);
  const loop = (async () => {
    while (!stopped && samples.length < (options.maxSamples ?? 10_000) && Date.now() < deadline) {
      const sample = await takeSample(page, options, samples.length + 1);
      if (stopped) break; // a load cut short by stop() is not a measurement
      samples.push(sample);
      options.onSample?.(sample);
      const wait = options.intervalMs - (Date.now() - sample.startedAt);
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();
  let stopping: Promise<BrowserUnderLoadSummary> | undefined;
  const stop = (): Promise<BrowserUnderLoadSummary> => {
    stopping ??= (async () => {
      stopped = true;
      wake();
      options.signal?.removeEventListener('abort', onAbort);
      // Closing the page aborts an in-flight navigation, so the loop ends promptly. Both are bounded: a
      // renderer that stops answering has been seen to leave page.close() pending for good, which held up
      // the whole run after its last scenario; the sample in flight is not a measurement anyway.
      await settleWithin(page.close(), STOP_WAIT_MS);
      await settleWithin(loop, STOP_WAIT_MS);
      if (!options.browser) await launched.close();
      return summarizeSamples(samples);
    })();
    return stopping;
  };
  const onAbort = (): void => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return { samples, pid: launched.pid, stop };
}
