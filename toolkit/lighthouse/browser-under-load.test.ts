import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../browser/index.ts';
import { FIXTURE_EMAIL, FIXTURE_PASSWORD, startSiteServer } from './fixtures/site-server.ts';
import type { SiteServer } from './fixtures/site-server.ts';
import { chooseRenderTime, startBrowserUnderLoad, statsOf } from './index.ts';
import type { BrowserLoadSample } from './index.ts';

let site: SiteServer;
beforeAll(async () => {
  site = await startSiteServer({ dashboardDelayMs: 80 });
});
afterAll(() => site?.close());

async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !isProcessAlive(pid);
}

describe('startBrowserUnderLoad', () => {
  it('reloads a logged-in dashboard, records load and render times, and stops cleanly', async () => {
    const seen: BrowserLoadSample[] = [];
    let enough: () => void = () => undefined;
    const gotThree = new Promise<void>((resolve) => (enough = resolve));
    const handle = await startBrowserUnderLoad({
      url: `${site.url}/dashboard`,
      intervalMs: 200,
      // On a busy machine (other test files run alongside) the app's render can take longer than the interval.
      renderWaitMs: 5000,
      auth: { email: FIXTURE_EMAIL, password: FIXTURE_PASSWORD },
      env: { PATH: '/usr/bin:/bin' },
      onSample: (sample) => {
        seen.push(sample);
        if (seen.length >= 3) enough();
      },
    });
    await gotThree;
    const summary = await handle.stop();
    const hitsAtStop = site.hits.get('/api/dashboard') ?? 0;
    expect(summary.count).toBeGreaterThanOrEqual(3);
    expect(summary.errors).toBe(0);
    for (const sample of summary.samples) {
      expect(sample.finalUrl).toBe(`${site.url}/dashboard`);
      expect(sample.status).toBe(200);
      expect(sample.loadTime).toBeGreaterThan(0);
      expect(sample.renderSource).toBe('measure');
      // the app marks renderTime after its data arrived, and the API delays 80 ms
      expect(sample.renderTime).toBeGreaterThanOrEqual(80);
      expect(sample.fcp).toBeGreaterThan(0);
      expect(sample.ttfb).toBeGreaterThan(0);
      expect(sample.lcp).toBeGreaterThan(0);
      expect(sample.cls).toBeGreaterThanOrEqual(0);
    }
    expect(summary.renderSources).toEqual({ measure: summary.count });
    expect(summary.loadTime?.count).toBe(summary.count);
    expect(await waitGone(handle.pid ?? -1)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(site.hits.get('/api/dashboard') ?? 0).toBe(hitsAtStop);
  });

  it('falls back to LCP on a page without a renderTime measure and honours maxSamples', async () => {
    const handle = await startBrowserUnderLoad({
      url: `${site.url}/`,
      intervalMs: 50,
      renderWaitMs: 0,
      maxSamples: 2,
      env: { PATH: '/usr/bin:/bin' },
    });
    while (handle.samples.length < 2) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const summary = await handle.stop();
    expect(summary.count).toBe(2);
    expect(summary.samples[0]?.renderSource).toBe('lcp');
    expect(summary.samples[0]?.renderTime).toBeGreaterThan(0);
    expect(await waitGone(handle.pid ?? -1)).toBe(true);
  });

  it('goes on past a page that stops answering, and stop() ends it and its browser within seconds', async () => {
    const handle = await startBrowserUnderLoad({
      url: `${site.url}/frozen`,
      intervalMs: 100,
      renderWaitMs: 0,
      navigationTimeoutMs: 2000,
      env: { PATH: '/usr/bin:/bin' },
    });
    const deadline = Date.now() + 20_000;
    while (handle.samples.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(handle.samples[0]?.error).toMatch(/took longer than 2000 ms/);
    const started = Date.now();
    await handle.stop();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await waitGone(handle.pid ?? -1)).toBe(true);
  }, 60_000);

  it('refuses a non-loopback URL', async () => {
    await expect(
      startBrowserUnderLoad({ url: 'http://192.0.2.1/dashboard', intervalMs: 1000, env: {} }),
    ).rejects.toMatchObject({
      code: 'TARGET_NOT_LOOPBACK',
    });
  });
});

describe('render time choice and stats', () => {
  it('prefers the app measure, then LCP, then DOMContentLoaded', () => {
    expect(chooseRenderTime({ load: 10, dcl: 5, measure: 30, lcp: 20 })).toMatchObject({
      loadTime: 10,
      renderTime: 30,
      renderSource: 'measure',
      lcp: 20,
    });
    expect(chooseRenderTime({ load: 10, dcl: 5, measure: null, lcp: 20 }).renderSource).toBe('lcp');
    expect(chooseRenderTime({ load: null, dcl: 5, measure: null, lcp: null })).toMatchObject({
      loadTime: null,
      renderTime: 5,
      renderSource: 'dcl',
    });
  });

  it('computes nearest-rank statistics', () => {
    expect(statsOf([5, 1, 3, 2, 4])).toEqual({ count: 5, min: 1, median: 3, p95: 5, max: 5, mean: 3 });
    expect(statsOf([])).toBeNull();
  });
});
