import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive, launchBrowser } from '../browser/index.ts';
import type { LaunchedBrowser } from '../browser/index.ts';
import { FIXTURE_EMAIL, FIXTURE_PASSWORD, startSiteServer } from './fixtures/site-server.ts';
import type { SiteServer } from './fixtures/site-server.ts';
import { MAX_FINDINGS } from './findings.ts';
import { login, runLighthouse } from './index.ts';
import { fromLighthouseResult, machineFromLighthouse } from '../results/index.ts';

let site: SiteServer;
let browser: LaunchedBrowser;
let outDir: string;

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
  it('logs in through a form, audits warm on the desktop preset, and reports a login that fails', async () => {
    const result = await runLighthouse({
      baseUrl: site.url,
      pages: [
        {
          name: 'dash-form',
          path: '/dashboard',
          auth: { email: FIXTURE_EMAIL, password: FIXTURE_PASSWORD, loginPath: '/login' },
        },
      ],
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
    const lhr = JSON.parse(readFileSync(run?.jsonPath ?? '', 'utf8')) as {
      configSettings: { formFactor: string; disableStorageReset: boolean };
    };
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

  it('runs cold really cold (no stored-data warning after a visit stored IndexedDB) and reports per-figure medians', async () => {
    // A visit that leaves IndexedDB behind, as an earlier run or a warm run would.
    const visit = await browser.browser.newPage();
    await visit.goto(`${site.url}/`, { waitUntil: 'load' });
    await visit.waitForFunction(
      `new Promise((resolve) => { const r = indexedDB.open('fixture-store', 1); r.onsuccess = () => { const g = r.result.transaction('kv').objectStore('kv').get('visit'); g.onsuccess = () => resolve(Boolean(g.result)); }; })`,
    );
    await visit.close();
    const result = await runLighthouse({
      baseUrl: site.url,
      pages: [{ name: 'home', path: '/' }],
      modes: ['cold'],
      runs: 3,
      outDir,
      env: {},
      browser,
    });
    const audit = result.audits[0];
    if (!audit) throw new Error('no audit');
    expect(audit.runs).toHaveLength(3);
    for (const run of audit.runs) expect(run.warnings.join('\n')).not.toMatch(/stored data|IndexedDB/i);
    const [model] = fromLighthouseResult(result, outDir);
    expect(model?.values?.performance).toHaveLength(3);
    const lcps = (model?.values?.['largest-contentful-paint'] ?? []).map(Number).sort((a, b) => a - b);
    expect(model?.metrics['largest-contentful-paint']).toBe(lcps[1]);
    expect(model?.representativeRun).toBe(audit.representativeIndex);
    expect(model?.runWarnings).toEqual([...new Set(audit.runs.flatMap((r) => r.warnings))]);
    // The machine as Lighthouse saw it: each run's benchmarkIndex from its report, the median over runs.
    const indexes = audit.runs.map((r) => {
      const report = JSON.parse(readFileSync(r.jsonPath ?? '', 'utf8')) as { environment: { benchmarkIndex: number } };
      expect(r.benchmarkIndex).toBe(report.environment.benchmarkIndex);
      return report.environment.benchmarkIndex;
    });
    expect(indexes.every((i) => i > 0)).toBe(true);
    expect(result.benchmarkIndex).toBe([...indexes].sort((a, b) => a - b)[1]);
    expect(machineFromLighthouse(result)).toEqual({
      chromium: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      lighthouse: expect.stringMatching(/^12\./),
      benchmarkIndex: result.benchmarkIndex,
    });
    expect(result.browserVersion).toContain(machineFromLighthouse(result).chromium);
    // The representative run's findings are its report's not-passed performance audits, savings as recorded there.
    type Audit = {
      score: number | null;
      scoreDisplayMode: string;
      details?: { type?: string; overallSavingsMs?: number };
    };
    const lhr = JSON.parse(readFileSync(audit.representative.jsonPath ?? '', 'utf8')) as {
      audits: Record<string, Audit>;
      categories: { performance: { auditRefs: Array<{ id: string; group?: string }> } };
    };
    const notPassed = lhr.categories.performance.auditRefs
      .filter((r) => r.group === 'diagnostics')
      .map((r) => ({ id: r.id, a: lhr.audits[r.id] as Audit }))
      .filter(
        ({ a }) =>
          a.scoreDisplayMode === 'informative' ||
          (a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual' && (a.score ?? 0) < 0.9),
      );
    const findings = model?.findings ?? [];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings).toEqual(audit.representative.findings);
    for (const f of findings) {
      const a = lhr.audits[f.id];
      expect(f.kind, f.id).toBe(a?.details?.type === 'opportunity' ? 'opportunity' : 'diagnostic');
      if (f.kind === 'opportunity') expect(f.savingsMs, f.id).toBe(a?.details?.overallSavingsMs);
    }
    for (const { id, a } of notPassed) {
      const kind = a.details?.type === 'opportunity' ? 'opportunity' : 'diagnostic';
      const full = findings.filter((f) => f.kind === kind).length === MAX_FINDINGS[kind];
      expect(full || findings.some((f) => f.id === id), id).toBe(true);
    }
  });

  it('stops when aborted: rejects with the reason and closes the browser it launched', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const run = runLighthouse({
      baseUrl: site.url,
      pages: [{ name: 'home', path: '/' }],
      runs: 1,
      outDir,
      env: { PATH: '/usr/bin:/bin' },
      signal: controller.signal,
      log: (line) => {
        lines.push(line);
        if (line.startsWith('browser:')) setTimeout(() => controller.abort(new Error('stop now')), 1500);
      },
    });
    await expect(run).rejects.toThrow('stop now');
    const pid = Number(/pid (\d+)/.exec(lines[0] ?? '')?.[1]);
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 5000;
    while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('reports a login page without a form as LOGIN_FAILED, not as a crash', async () => {
    const page = await browser.browser.newPage();
    const attempt = login(page, site.url, { email: FIXTURE_EMAIL, password: FIXTURE_PASSWORD, loginPath: '/' }, 1000);
    await expect(attempt).rejects.toMatchObject({
      code: 'LOGIN_FAILED',
      message: expect.stringContaining(`${site.url}/`),
    });
    await page.close();
  });

  it('refuses a non-loopback target before starting anything', async () => {
    await expect(
      runLighthouse({ baseUrl: 'http://example.com', pages: [{ name: 'a', path: '/' }], outDir, env: {} }),
    ).rejects.toMatchObject({
      code: 'TARGET_NOT_LOOPBACK',
    });
    expect(isProcessAlive(browser.pid ?? -1)).toBe(true);
  });
});
