import type { Page } from 'puppeteer';

/** Where a sample's renderTime came from: the app's performance.measure('renderTime'), else LCP, else DOMContentLoaded. */
export type RenderSource = 'measure' | 'lcp' | 'dcl';

/** Timings read from a loaded page, in ms from navigation start (cls unitless). */
export interface PageTimings {
  loadTime: number | null;
  renderTime: number | null;
  renderSource: RenderSource | null;
  fcp: number | null;
  lcp: number | null;
  /** Navigation start → first byte of the document (responseStart). */
  ttfb: number | null;
  /** Sum of layout shifts without recent input so far (no session windows: pages here are short-lived). */
  cls: number | null;
}

/** What the in-page script returns. */
export interface RawTimings {
  load: number | null;
  dcl: number | null;
  measure: number | null;
  lcp: number | null;
  fcp?: number | null;
  ttfb?: number | null;
  cls?: number | null;
}

/** Runs in the page; a string because this code is typed for Node, not the DOM. */
const READ_TIMINGS = `(async () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const measures = performance.getEntriesByName('renderTime', 'measure');
  const measure = measures.length > 0 ? measures[measures.length - 1].duration : null;
  const buffered = (type) => new Promise((resolve) => {
    try {
      const observer = new PerformanceObserver((list) => { observer.disconnect(); resolve(list.getEntries()); });
      observer.observe({ type, buffered: true });
      setTimeout(() => { observer.disconnect(); resolve([]); }, 200);
    } catch (e) { resolve([]); }
  });
  const [lcpEntries, shifts] = await Promise.all([buffered('largest-contentful-paint'), buffered('layout-shift')]);
  const lcp = lcpEntries.length > 0 ? lcpEntries[lcpEntries.length - 1].startTime : null;
  const fcpEntry = performance.getEntriesByName('first-contentful-paint')[0];
  return {
    fcp: fcpEntry ? fcpEntry.startTime : null,
    ttfb: nav && nav.responseStart > 0 ? nav.responseStart - nav.startTime : null,
    cls: shifts.filter((e) => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0),
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
    raw.measure !== null
      ? [raw.measure, 'measure']
      : raw.lcp !== null
        ? [raw.lcp, 'lcp']
        : raw.dcl !== null
          ? [raw.dcl, 'dcl']
          : [null, null];
  return {
    loadTime: raw.load,
    renderTime,
    renderSource,
    fcp: raw.fcp ?? null,
    lcp: raw.lcp,
    ttfb: raw.ttfb ?? null,
    cls: raw.cls ?? null,
  };
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
