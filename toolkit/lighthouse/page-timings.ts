import type { Page } from 'puppeteer';

/** Where a sample's renderTime came from: the app's performance.measure('renderTime'), else LCP, else DOMContentLoaded. */
export type RenderSource = 'measure' | 'lcp' | 'dcl';

/** Timings read from a loaded page, in ms from navigation start. */
export interface PageTimings {
  loadTime: number | null;
  renderTime: number | null;
  renderSource: RenderSource | null;
}

interface RawTimings {
  load: number | null;
  dcl: number | null;
  measure: number | null;
  lcp: number | null;
}

/** Runs in the page; a string because this code is typed for Node, not the DOM. */
const READ_TIMINGS = `(async () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const measures = performance.getEntriesByName('renderTime', 'measure');
  const measure = measures.length > 0 ? measures[measures.length - 1].duration : null;
  let lcp = null;
  try {
    lcp = await new Promise((resolve) => {
      const observer = new PerformanceObserver((list) => {
        const entries = list.getEntries();
        observer.disconnect();
        resolve(entries.length > 0 ? entries[entries.length - 1].startTime : null);
      });
      observer.observe({ type: 'largest-contentful-paint', buffered: true });
      setTimeout(() => resolve(null), 200);
    });
  } catch (e) { lcp = null; }
  return {
    load: nav && nav.loadEventStart > 0 ? nav.loadEventStart - nav.startTime : null,
    dcl: nav && nav.domContentLoadedEventStart > 0 ? nav.domContentLoadedEventStart - nav.startTime : null,
    measure,
    lcp,
  };
})()`;

const HAS_RENDER_MEASURE = `performance.getEntriesByName('renderTime', 'measure').length > 0`;

/** Picks renderTime by preference: the app's own measure, then LCP, then DOMContentLoaded. */
export function chooseRenderTime(raw: RawTimings): PageTimings {
  const [renderTime, renderSource]: [number | null, RenderSource | null] =
    raw.measure !== null ? [raw.measure, 'measure'] : raw.lcp !== null ? [raw.lcp, 'lcp'] : raw.dcl !== null ? [raw.dcl, 'dcl'] : [null, null];
  return { loadTime: raw.load, renderTime, renderSource };
}

/**
 * Reads loadTime (navigation start → load event) and renderTime from a page
 * that has fired load, first waiting up to renderWaitMs for the app's
 * performance.measure('renderTime'), which it marks once data is painted and
 * which can come after the load event.
 */
export async function readPageTimings(page: Page, renderWaitMs: number): Promise<PageTimings> {
  if (renderWaitMs > 0) {
    await page.waitForFunction(HAS_RENDER_MEASURE, { timeout: renderWaitMs, polling: 50 }).catch(() => undefined);
  }
  const raw = (await page.evaluate(READ_TIMINGS)) as RawTimings;
  return chooseRenderTime(raw);
}
