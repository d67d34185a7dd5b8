/**
 * The reference app's browser client end to end: real Chromium (puppeteer)
 * against the real server (PostgreSQL, Redis, seeded data) serving the built
 * client. Login, seeded dashboard, preferences across reloads, RUM beacons,
 * and the service worker's offline dashboard once the server is gone.
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ConsoleMessage, HTTPRequest, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ACCOUNT as OWNER, startFullApp } from '../reference-app/client/test-support/full-app.ts';
import type { FullApp } from '../reference-app/client/test-support/full-app.ts';
import { launchBrowser } from '../toolkit/browser/index.ts';
import type { LaunchedBrowser } from '../toolkit/browser/index.ts';

const ARTIFACTS = path.resolve('test-artifacts');

/**
 * The browser globals the page functions below use. This file is compiled for
 * Node (no DOM lib); these functions run in the page, where they exist.
 */
interface PageGlobals {
  localStorage: { getItem(key: string): string | null };
  document: {
    cookie: string;
    documentElement: { dataset: Record<string, string | undefined> };
    querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null;
  };
  navigator: {
    serviceWorker: {
      controller: object | null;
      getRegistration(): Promise<{ update(): Promise<unknown>; waiting: object | null } | undefined>;
    };
  };
  caches: { open(name: string): Promise<{ keys(): Promise<{ url: string }[]> }> };
}

let app: FullApp;
let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  app = await startFullApp(process.env);
  browser = await launchBrowser({ env: process.env });
  page = await browser.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

/** GETs an API path with the page's session cookie. */
const apiGet = <T>(p: string): Promise<T> => page.evaluate(async (u) => (await fetch(u)).json() as Promise<T>, p);

async function cardTitles(): Promise<string[]> {
  return page.$$eval('article.metric-card h2', (hs) => hs.map((h) => h.textContent ?? ''));
}

describe('reference app client in Chromium', () => {
  it('logs in with a seeded account and shows the seeded dashboard', async () => {
    await page.goto(`${app.url}/dashboard`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('input[name="email"]');
    expect(new URL(page.url()).pathname).toBe('/login');
    // A fresh document on /login (its preloaded, unauthenticated API answers must not leak into the session).
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('input[name="email"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'login.png') });
    await page.type('input[name="email"]', OWNER.email);
    await page.type('input[name="password"]', OWNER.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#dashboard-title');
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    const dashboard = await apiGet<{ businessName: string; metrics: { label: string; latest: number | null }[] }>(
      '/api/dashboard',
    );
    expect(dashboard.metrics).toHaveLength(8);
    expect(await page.$eval('#dashboard-title', (h) => h.textContent)).toBe(dashboard.businessName);
    expect((await cardTitles()).sort()).toEqual(dashboard.metrics.map((m) => m.label).sort());
    const values = await page.$$eval('.metric-value', (ps) => ps.map((p) => p.textContent ?? ''));
    expect(values.filter((v) => v !== '—')).toHaveLength(8);
    expect(await page.$$eval('svg.sparkline polyline', (ls) => ls.length)).toBe(8);
    await page.waitForSelector('[data-testid="rates-age"]');
    expect(await page.$eval('[data-testid="rates-age"]', (p) => p.textContent)).toMatch(
      /Updated .* ago|Updated just now/,
    );

    // Who is logged in is remembered; the session secret is not readable by scripts.
    const stored = await page.evaluate(() => ({
      auth: (globalThis as unknown as PageGlobals).localStorage.getItem('perfkit.auth'),
      cookie: (globalThis as unknown as PageGlobals).document.cookie,
    }));
    expect(stored.auth).toContain(OWNER.email);
    // The section shown is marked in the main navigation, for sight and for screen readers.
    const current = () =>
      page.$$eval('nav.nav a[aria-current="page"]', (as) => as.map((a) => `${a.textContent} ${a.className}`));
    expect(await current()).toEqual(['Dashboard active']);
    expect(stored.cookie).not.toContain('sid=');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it('opens a metric from its card and switches ranges with the keyboard', async () => {
    // Links navigate inside the app: the document (and this marker on it) survives the click.
    await page.evaluate(() => ((globalThis as unknown as { sameDocument?: boolean }).sameDocument = true));
    await page.click('article.metric-card h2 a[href="/metrics/revenue"]');
    await page.waitForSelector('figure.chart svg polyline.chart-line');
    expect(await page.$eval('#metric-title', (h) => h.textContent)).toBe('Revenue');
    expect(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.$$eval('nav.nav a[aria-current="page"], nav.nav a.active', (as) => as.length)).toBe(0);
    const points24h = await page.$eval(
      'polyline.chart-line',
      (l) => (l.getAttribute('points') ?? '').split(' ').length,
    );
    expect(points24h).toBeGreaterThanOrEqual(20);
    const series = page.waitForResponse(
      (r) => r.url().includes('/api/metrics/revenue/series') && r.url().includes('bucket=1h') && r.status() === 200,
    );
    await page.focus('[role="radio"][aria-checked="true"]');
    await page.keyboard.press('ArrowRight');
    await series;
    await page.waitForSelector('[role="radio"][data-range="7d"][aria-checked="true"]');
    await page.waitForFunction(
      (before) =>
        (
          (globalThis as unknown as PageGlobals).document
            .querySelector('polyline.chart-line')
            ?.getAttribute('points') ?? ''
        ).split(' ').length > before,
      {},
      points24h,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'metric-detail.png') });

    // Recording a value invalidates the metrics queries: the dashboard shows it without a reload.
    await page.type('form.inline-form input', '12345.5');
    await page.click('form.inline-form button[type="submit"]');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('form.inline-form [role="status"]')
          ?.textContent === 'Saved.',
    );
    await page.click('nav.breadcrumb a[href="/dashboard"]');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="value-revenue"]')?.textContent ===
        '$12.35K',
      { timeout: 15_000 },
    );
  });

  it('keeps preferences (theme, favorites) across a reload and on the server', async () => {
    await page.goto(`${app.url}/settings`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('input[name="theme"][value="dark"]');
    await page.click('input[name="theme"][value="dark"]');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('[role="status"].small')?.textContent ===
        'Saved.',
    );
    // Toggle one favorite (the seed gives owners some already).
    const before = await apiGet<{ preferences: { favoriteMetrics: string[] } }>('/api/profile');
    const had = before.preferences.favoriteMetrics.includes('churn_rate');
    const expected = had
      ? before.preferences.favoriteMetrics.filter((m) => m !== 'churn_rate')
      : [...before.preferences.favoriteMetrics, 'churn_rate'];
    const box = await page.waitForSelector('xpath///label[contains(., "Churn rate")]/input');
    await box?.click();
    await page.waitForFunction(
      (want) =>
        (globalThis as unknown as PageGlobals).localStorage
          .getItem('perfkit.preferences')
          ?.includes(`"favoriteMetrics":${want}`),
      {},
      JSON.stringify(expected),
    );
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('[role="status"].small')?.textContent ===
        'Saved.',
    );

    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('input[name="theme"][value="dark"]:checked');
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings.png'), fullPage: true });
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.dataset.theme),
    ).toBe('dark');
    const profile = await apiGet<{ preferences: { theme: string; favoriteMetrics: string[] } }>('/api/profile');
    expect(profile.preferences.theme).toBe('dark');
    expect([...profile.preferences.favoriteMetrics].sort()).toEqual([...expected].sort());

    await page.goto(`${app.url}/dashboard`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('article.metric-card');
    const dashboard = await apiGet<{ metrics: { metric: string; label: string }[] }>('/api/dashboard');
    const favoriteLabels = dashboard.metrics.filter((m) => expected.includes(m.metric)).map((m) => m.label);
    expect((await cardTitles()).slice(0, favoriteLabels.length)).toEqual(favoriteLabels);
    expect(await page.$$eval('button.star[aria-pressed="true"]', (bs) => bs.length)).toBe(expected.length);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-dark.png'), fullPage: true });
  });

  it('signing out in one tab signs out the other tabs (storage event), then signs back in', async () => {
    const other = await browser.browser.newPage();
    try {
      await other.goto(`${app.url}/dashboard`, { waitUntil: 'domcontentloaded' });
      await other.waitForSelector('article.metric-card');
      // Background tabs get no animation frames in headless Chromium: bring each to the front before driving it.
      await page.bringToFront();
      await page.goto(`${app.url}/dashboard`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('article.metric-card', { timeout: 10_000 });
      await page.click('header .account button');
      await page.waitForSelector('input[name="email"]', { timeout: 10_000 });
      await other.bringToFront();
      await other.waitForSelector('input[name="email"]', { timeout: 10_000 });
      expect(new URL(other.url()).pathname).toBe('/login');
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('perfkit.auth')),
      ).toBeNull();
      expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    } finally {
      await other.close();
      await page.bringToFront();
    }
    await page.type('input[name="email"]', OWNER.email);
    await page.type('input[name="password"]', OWNER.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('article.metric-card');
  });

  it('sends RUM beacons that show up in /api/performance', async () => {
    const beacon = page.waitForRequest((r) => r.url().endsWith('/api/rum') && r.method() === 'POST', {
      timeout: 20_000,
    });
    const dashboardRequests: string[] = [];
    const warnings: string[] = [];
    const onRequest = (r: HTTPRequest) =>
      void (new URL(r.url()).pathname === '/api/dashboard' && dashboardRequests.push(r.url()));
    const onConsole = (m: ConsoleMessage) => void (m.type() === 'warn' && warnings.push(m.text()));
    page.on('request', onRequest);
    page.on('console', onConsole);
    await page.goto(`${app.url}/dashboard`, { waitUntil: 'load' });
    await page.waitForSelector('article.metric-card');
    await new Promise((r) => setTimeout(r, 500));
    page.off('request', onRequest);
    page.off('console', onConsole);
    // index.html preloads the dashboard data; the app's fetch must reuse it, not ask twice.
    expect(dashboardRequests).toHaveLength(1);
    expect(warnings.filter((w) => /preload/i.test(w))).toEqual([]);
    const body = JSON.parse((await (await beacon).fetchPostData()) ?? '{}') as {
      page?: string;
      metrics?: { name: string }[];
    };
    expect(body.page).toBe('/dashboard');
    // Leaving the page flushes the rest (LCP, CLS, INP are final only then).
    await page.goto(`${app.url}/settings`, { waitUntil: 'load' });
    let frontend:
      { loadTime: number | null; renderTime: number | null; webVitals: Record<string, { count: number }> } | undefined;
    for (let i = 0; i < 40; i++) {
      frontend = (await apiGet<{ frontend: NonNullable<typeof frontend> }>('/api/performance')).frontend;
      if (frontend.loadTime !== null && frontend.renderTime !== null && (frontend.webVitals.LCP?.count ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(frontend?.loadTime).toBeGreaterThan(0);
    expect(frontend?.renderTime).toBeGreaterThan(0);
    expect(frontend?.webVitals.TTFB?.count).toBeGreaterThan(0);
    expect(frontend?.webVitals.FCP?.count).toBeGreaterThan(0);
    expect(frontend?.webVitals.LCP?.count).toBeGreaterThan(0);
  });

  it('offers a new build on a banner and switches to it only when the user clicks Reload', async () => {
    await page.goto(`${app.url}/dashboard`, { waitUntil: 'load' });
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).navigator.serviceWorker.controller !== null,
      { timeout: 20_000 },
    );
    // "Deploy" a new build: a changed service worker (precompressed copies removed so the new file is served).
    appendFileSync(path.join(app.staticDir, 'sw.js'), '\n// next deploy\n');
    for (const ext of ['.br', '.gz']) rmSync(path.join(app.staticDir, 'sw.js' + ext), { force: true });
    await page.evaluate(async () => {
      await (await (globalThis as unknown as PageGlobals).navigator.serviceWorker.getRegistration())?.update();
    });
    await page.waitForSelector('.notice--update button', { timeout: 20_000 });
    // Until the user agrees, the new worker waits and the page keeps running on the old one.
    expect(
      await page.evaluate(
        async () =>
          (await (globalThis as unknown as PageGlobals).navigator.serviceWorker.getRegistration())?.waiting !== null,
      ),
    ).toBe(true);
    await page.evaluate(() => Object.assign(globalThis, { beforeUpdate: true }));
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: 20_000 }),
      page.click('.notice--update button'),
    ]);
    expect(await page.evaluate(() => 'beforeUpdate' in globalThis)).toBe(false);
    expect(
      await page.evaluate(
        async () =>
          (await (globalThis as unknown as PageGlobals).navigator.serviceWorker.getRegistration())?.waiting ?? null,
      ),
    ).toBeNull();
    await page.waitForSelector('article.metric-card');
    expect(await page.$('.notice--update')).toBeNull();
  });

  it('opens the dashboard from the service worker cache, with an offline notice, when the server is gone', async () => {
    await page.goto(`${app.url}/dashboard`, { waitUntil: 'load' });
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).navigator.serviceWorker.controller !== null,
      { timeout: 20_000 },
    );
    // Load once under the worker's control so it stores the dashboard's API answers.
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('article.metric-card');
    await page.waitForFunction(
      async () => {
        const keys = await (await (globalThis as unknown as PageGlobals).caches.open('perfkit-api-v1')).keys();
        const paths = keys.map((k) => new URL(k.url).pathname);
        return ['/api/dashboard', '/api/auth/me', '/api/external/rates'].every((p) => paths.includes(p));
      },
      { timeout: 20_000, polling: 250 },
    );
    const online = await cardTitles();

    await app.stopServer();
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="offline-notice"]', { timeout: 20_000 });
    await page.waitForSelector('article.metric-card');
    expect(await cardTitles()).toEqual(online);
    expect(await page.$eval('[data-testid="offline-notice"]', (n) => n.textContent)).toMatch(/offline/i);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-offline.png'), fullPage: true });
  });
});
