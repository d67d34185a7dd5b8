import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChrome } from '../browser/find-chrome.ts';
import { evaluateBudget } from '../budgets/evaluate.ts';
import { loadBudget } from '../budgets/load.ts';
import { generateResults } from '../results/fixtures/generate.ts';
import { readResults } from '../results/io.ts';
import type { Results } from '../results/schema.ts';
import { loadReportAssets } from './assets.ts';
import { renderIndex, summarizeRun } from './index-page.ts';
import { renderReport } from './render.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-browser-'));
const assets = loadReportAssets();
let browser: Browser;

function chromePath(): string {
  try {
    return findChrome(process.env);
  } catch {
    return '/usr/bin/chromium';
  }
}

beforeAll(async () => {
  browser = await puppeteer.launch({
    executablePath: chromePath(),
    headless: true,
    env: { ...process.env, TMPDIR: tmp },
    userDataDir: mkdtempSync(path.join(tmp, 'profile-')),
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Opened {
  errors: string[];
  dialogs: string[];
  requests: string[];
  page: Awaited<ReturnType<Browser['newPage']>>;
}

async function open(name: string, markup: string): Promise<Opened> {
  const file = path.join(tmp, `${name}.html`);
  writeFileSync(file, markup);
  const page = await browser.newPage();
  const out: Opened = { errors: [], dialogs: [], requests: [], page };
  page.on('console', (m) => {
    if (m.type() === 'error') out.errors.push(m.text());
  });
  page.on('pageerror', (e) => out.errors.push(String(e)));
  page.on('dialog', (d) => {
    out.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) out.requests.push(r.url());
  });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return out;
}

const SECTIONS = [
  'verdict',
  'budgets',
  'timeline',
  'load',
  'endpoints',
  'checks',
  'database',
  'cache',
  'lighthouse',
  'browser',
  'bundle',
  'resources',
  'run',
];

describe('HTML report in Chromium', () => {
  it('renders every section with charts drawn, no console errors and no network', async () => {
    const results = readResults('toolkit/results/fixtures/results.json');
    const baseline = readResults('toolkit/results/fixtures/baseline.json');
    const slow = generateResults({ slowdown: 1.6 });
    const verdicts = evaluateBudget(slow, loadBudget('budgets/default.json'), {
      baseline,
      baselineSource: 'reports/earlier/results.json',
    });
    expect(results.meta.id).toBeTruthy();
    const { page, errors, requests } = await open('full', renderReport(slow, verdicts, assets));
    for (const id of SECTIONS) expect(await page.$(`#${id}`), id).not.toBeNull();
    const texts = await page.$$eval('section', (els) => els.map((e) => e.textContent ?? ''));
    expect(texts.every((t) => !t.includes('Not measured in this run'))).toBe(true);
    expect(await page.$eval('#verdict .word', (e) => e.textContent)).toBe('FAIL');
    const charts = await page.$$eval('.chart-body', (els) => els.map((e) => e.querySelectorAll('canvas').length));
    expect(charts.length).toBe(9); // load 4, cache, page loads; CPU, memory, disk I/O by role
    expect(charts.every((n) => n > 0)).toBe(true);
    expect(await page.$eval('html', (e) => e.getAttribute('data-charts'))).toBe('9');
    expect(await page.$$eval('.budget-table tbody tr', (rows) => rows.length)).toBe(verdicts.verdicts.length);
    expect(await page.$$eval('table.endpoints tbody tr', (rows) => rows.length)).toBe(8);
    expect(await page.$eval('#bundle a[href="bundle/analyzer.html"]', (a) => a.textContent)).toContain('analyzer');
    expect(await page.$$eval('#lighthouse a[href$=".report.html"]', (as) => as.length)).toBe(24);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/report.png', fullPage: true });
    await page.close();
    const runs = [summarizeRun(baseline, null, 'earlier/index.html'), summarizeRun(slow, verdicts, 'now/index.html')];
    const index = await open('index', renderIndex(runs));
    expect(await index.page.$$eval('#runs tbody tr', (rows) => rows.length)).toBe(2);
    expect(await index.page.$$eval('#trends svg polyline', (lines) => lines.length)).toBe(6);
    expect(index.errors).toEqual([]);
    await index.page.screenshot({ path: 'test-artifacts/report-index.png', fullPage: true });
    await index.page.close();
  });

  it('renders a real CI run of the reference app: every section, charts drawn, links to its Lighthouse and analyzer reports', async () => {
    const real = readResults('toolkit/results/fixtures/real-ci-run.json');
    const verdicts = evaluateBudget(real, loadBudget('budgets/ci.json'));
    const { page, errors, requests } = await open('real', renderReport(real, verdicts, assets));
    for (const id of SECTIONS) expect(await page.$(`#${id}`), id).not.toBeNull();
    expect(await page.$eval('#verdict .word', (e) => e.textContent)).toBe('PASS');
    const charts = await page.$$eval('.chart-body', (els) => els.map((e) => e.querySelectorAll('canvas').length));
    expect(charts.length).toBeGreaterThanOrEqual(8);
    expect(charts.every((n) => n > 0)).toBe(true);
    const endpoints = await page.$$eval('table.endpoints tbody tr', (rows) =>
      rows.map((r) => r.querySelector('td')?.textContent ?? ''),
    );
    expect(endpoints.join(' ')).toContain('dashboard');
    expect(await page.$$eval('#lighthouse a[href$=".report.html"]', (as) => as.length)).toBe(
      real.frontend?.lighthouse.length,
    );
    expect(await page.$('#bundle a[href="bundle/bundle-report.html"]')).not.toBeNull();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/report-real-run.png', fullPage: true });
    await page.close();
  });

  it('says so for sections without data', async () => {
    const bare: Results = { schemaVersion: 1, meta: generateResults().meta };
    const { page, errors } = await open('bare', renderReport(bare, null, assets));
    for (const id of SECTIONS) expect(await page.$(`#${id}`), id).not.toBeNull();
    const empty = await page.$$eval('section p.empty', (ps) => ps.map((p) => p.closest('section')?.id));
    expect(empty).toEqual([
      'budgets',
      'timeline',
      'load',
      'endpoints',
      'checks',
      'database',
      'cache',
      'lighthouse',
      'browser',
      'bundle',
      'resources',
    ]);
    expect(await page.$eval('#verdict .word', (e) => e.textContent)).toBe('NOT JUDGED');
    expect(errors).toEqual([]);
    await page.screenshot({ path: 'test-artifacts/report-empty.png', fullPage: true });
    await page.close();
  });

  it('keeps script payloads in check names, endpoint tags and URLs inert and shows them literally', async () => {
    const img = '<img src=x onerror=alert(1)>';
    const closer = '</script><script>alert(1)</script>';
    const r = generateResults();
    const api = r.api;
    const lh = r.frontend?.lighthouse[0];
    if (!api || !lh || !r.bundle || !r.resources?.[0]) throw new Error('fixture incomplete');
    api.checks.push({ name: img, path: `::${closer}`, passes: 1, fails: 1 });
    const first = api.endpoints[0];
    if (first) first.name = `${closer}${img}`;
    api.endpointSeries = [{ name: `${closer}${img}`, points: [0, 1, 2].map((t) => ({ t, p95: 10 + t, count: 3 })) }];
    api.thresholds.push({ metric: `http_req_duration{name:${closer}}`, expression: 'p(95)<1', ok: false });
    lh.url = `http://127.0.0.1/${closer}?q="><svg onload=alert(1)>`;
    lh.reports = [{ json: 'javascript:alert(1)', html: `"><script>alert(1)</script>` }];
    lh.runWarnings = [`warned ${img}`];
    lh.findings = [
      { id: `x${closer}`, title: `found ${img}`, kind: 'opportunity', score: 0, displayValue: closer, savingsMs: 120 },
    ];
    r.bundle.analyzerReport = 'javascript:alert(1)';
    r.resources[0].name = `<!--${closer}`;
    r.meta.target = `http://127.0.0.1:1/${img}`;
    r.meta.config = { note: `${closer}<!--` };
    const budget = { api: { endpoints: { [`${closer}${img}`]: { p95: '<= 1 ms' } } } };
    const { parseBudget } = await import('../budgets/load.ts');
    const verdicts = evaluateBudget(r, parseBudget(budget, `budgets/${img}.json`));
    const { page, errors, dialogs } = await open('xss', renderReport(r, verdicts, assets));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    const text = await page.$eval('body', (b) => b.innerText);
    expect(text).toContain(img);
    expect(text).toContain(closer);
    expect(await page.$$eval('img', (imgs) => imgs.length)).toBe(0);
    expect(await page.$$eval('script', (s) => s.length)).toBe(3);
    expect(
      await page.$$eval('a', (as) => as.filter((a) => a.getAttribute('href')?.startsWith('javascript')).length),
    ).toBe(0);
    expect(await page.$eval('html', (e) => e.getAttribute('data-charts'))).toBe('10');
    const legend = await page.$eval('[data-legend="endpoints-p95"]', (l) => l.textContent ?? '');
    expect(legend).toContain(`${closer}${img}`);
    expect(await page.$eval('#resources table', (t) => t.textContent ?? '')).toContain(`<!--${closer}`);
    const lighthouse = await page.$eval('#lighthouse', (t) => t.textContent ?? '');
    for (const shown of [`warned ${img}`, `found ${img}`, `x${closer}`]) expect(lighthouse).toContain(shown);
    await page.close();
  });
});
