import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive, launchBrowser } from '../browser/index.ts';
import type { LaunchedBrowser } from '../browser/index.ts';
import { FIXTURE_EMAIL, FIXTURE_PASSWORD, startSiteServer } from './fixtures/site-server.ts';
import type { SiteServer } from './fixtures/site-server.ts';
import { runLighthouse } from './index.ts';

let site: SiteServer;
let browser: LaunchedBrowser;
let outDir: string;
const lines: string[] = [];

beforeAll(async () => {
  site = await startSiteServer();
  outDir = mkdtempSync(join(tmpdir(), 'perfkit-lh-'));
  browser = await launchBrowser({ env: { PATH: '/usr/bin:/bin' } });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe('runLighthouse', () => {
  it('audits a protected page logged in through the API and keeps JSON and HTML reports', async () => {
    const result = await runLighthouse({
      baseUrl: site.url,
      pages: [{ name: 'dashboard', path: '/dashboard', auth: { email: FIXTURE_EMAIL, password: FIXTURE_PASSWORD } }],
      runs: 1,
      outDir,
      env: {},
      browser,
      log: (line) => lines.push(line),
    });
    const audit = result.audits[0];
    expect(result.audits).toHaveLength(1);
    expect(result.lighthouseVersion).toMatch(/^12\./);
    expect(audit?.preset).toBe('mobile');
    const run = audit?.representative;
    expect(run?.finalUrl).toBe(`${site.url}/dashboard`);
    for (const value of Object.values(run?.scores ?? {})) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(run?.metrics.lcp).toBeGreaterThan(0);
    expect(run?.metrics.fcp).toBeGreaterThan(0);
    expect(run?.resources.script?.requestCount).toBeGreaterThanOrEqual(1);
    expect(run?.resources.total?.transferSize).toBeGreaterThan(0);
    expect(run?.resources.stylesheet?.transferSize).toBeGreaterThan(0);
    expect(site.hits.get('/api/dashboard')).toBeGreaterThanOrEqual(1);
    const lhr = JSON.parse(readFileSync(run?.jsonPath ?? '', 'utf8')) as { finalDisplayedUrl: string };
    expect(lhr.finalDisplayedUrl).toBe(`${site.url}/dashboard`);
    expect(readFileSync(run?.htmlPath ?? '', 'utf8')).toContain('<html');
    expect(lines.at(-1)).toMatch(/^lighthouse dashboard mobile cold run 1\/1: perf [01]\.\d\d, LCP \d+\.\d s$/);
  });

  it('logs in through a form, audits warm on the desktop preset, and reports a login that fails', async () => {
    const result = await runLighthouse({
      baseUrl: site.url,
      pages: [{ name: 'dash-form', path: '/dashboard', auth: { email: FIXTURE_EMAIL, password: FIXTURE_PASSWORD, loginPath: '/login' } }],
      presets: ['desktop'],
      modes: ['warm'],
      runs: 1,
      outDir,
      env: {},
      browser,
    });
    const run = result.audits[0]?.representative;
    expect(run?.finalUrl).toBe(`${site.url}/dashboard`);
    expect(run?.scores.performance).toBeGreaterThan(0);
    expect(existsSync(join(outDir, 'dash-form-desktop-warm-run1.report.json'))).toBe(true);
    const lhr = JSON.parse(readFileSync(run?.jsonPath ?? '', 'utf8')) as { configSettings: { formFactor: string; disableStorageReset: boolean } };
    expect(lhr.configSettings.formFactor).toBe('desktop');
    expect(lhr.configSettings.disableStorageReset).toBe(true);
    // warm: static files come from the primed caches, so nothing is transferred for them
    expect(run?.resources.stylesheet).toEqual({ requestCount: 1, transferSize: 0 });

    const wrong = runLighthouse({
      baseUrl: site.url,
      pages: [{ name: 'x', path: '/dashboard', auth: { email: FIXTURE_EMAIL, password: 'wrong' } }],
      runs: 1,
      outDir,
      env: {},
      browser,
    });
    await expect(wrong).rejects.toMatchObject({ code: 'LOGIN_FAILED', message: expect.stringContaining('401') });
  });

  it('refuses a non-loopback target before starting anything', async () => {
    await expect(runLighthouse({ baseUrl: 'http://example.com', pages: [{ name: 'a', path: '/' }], outDir, env: {} })).rejects.toMatchObject({
      code: 'TARGET_NOT_LOOPBACK',
    });
    expect(isProcessAlive(browser.pid ?? -1)).toBe(true);
  });
});
