import { afterLoadWhenIdle } from '../scheduling/after-load.ts';

/** Metric names POST /api/rum accepts (API.md). */
export type RumName = 'LCP' | 'FCP' | 'CLS' | 'INP' | 'TTFB' | 'loadTime' | 'renderTime';

export interface RumBeacon {
  page: string;
  metrics: { name: RumName; value: number }[];
}

const RENDER_MARK = 'perfkit:dashboard-data-painted';
const FLUSH_DELAY_MS = 1_000;

/** Route patterns, so /metrics/revenue and /metrics/orders count as one page. */
export function pageName(pathname: string): string {
  if (pathname.startsWith('/metrics/')) return '/metrics/:metric';
  return pathname === '/' ? '/dashboard' : pathname;
}

let queue: RumBeacon['metrics'] = [];
let page = '/';
let timer: ReturnType<typeof setTimeout> | undefined;
let endpoint = '/api/rum';
let renderMeasured = false;

/** Queues one measurement; a beacon leaves a second later with whatever else arrived meanwhile. */
export function push(name: RumName, value: number): void {
  if (!Number.isFinite(value) || value < 0) return;
  queue.push({ name, value: Math.round(value * 1000) / 1000 });
  timer ??= setTimeout(flush, FLUSH_DELAY_MS);
}

/** Sends what is queued in one beacon; the browser delivers it even while the page unloads. */
export function flush(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (queue.length === 0) return;
  const body = JSON.stringify({ page, metrics: queue } satisfies RumBeacon);
  queue = [];
  const blob = new Blob([body], { type: 'application/json' });
  if (navigator.sendBeacon?.(endpoint, blob)) return;
  void fetch(endpoint, {
    method: 'POST',
    body,
    keepalive: true,
    headers: { 'content-type': 'application/json' },
  }).catch(() => undefined);
}

/**
 * Starts collecting: the app's loadTime now, web vitals once the page has
 * loaded and is idle. The web-vitals library is loaded then, in a chunk of its
 * own: its observers read buffered entries, so FCP, LCP, CLS and TTFB from
 * before it loaded are still reported, and its start-up work stays out of the
 * tasks that show the dashboard. Call once, as early as possible.
 */
export function startRum(options: { endpoint?: string } = {}): void {
  endpoint = options.endpoint ?? endpoint;
  page = pageName(location.pathname);
  const recordLoad = () =>
    // loadEventEnd is only set after the load handlers finished: read it on the next task.
    setTimeout(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      if (nav) push('loadTime', nav.loadEventEnd > 0 ? nav.loadEventEnd : nav.loadEventStart);
    }, 0);
  if (document.readyState === 'complete') recordLoad();
  else addEventListener('load', recordLoad, { once: true });
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  addEventListener('pagehide', flush);
  afterLoadWhenIdle(() => {
    void import(/* webpackChunkName: "rum-vitals" */ './vitals.ts').then((m) => m.observeWebVitals(push));
  });
}

/**
 * renderTime: navigation start → the first dashboard data on screen. Called
 * after React committed the data; the mark waits for the next frame so it
 * lands after the paint rather than before it.
 */
export function markDashboardPainted(): void {
  if (renderMeasured) return;
  renderMeasured = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      performance.mark(RENDER_MARK);
      const measure = performance.measure('renderTime', { start: 0, end: RENDER_MARK });
      push('renderTime', measure.duration);
    }, 0),
  );
}
