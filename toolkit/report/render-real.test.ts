/// <reference lib="dom" />
/**
 * The report of a real run of the reference app judged against a real
 * baseline run (toolkit/report/fixtures, recorded by
 * scripts/record-report-fixture.ts), in real Chromium at 1280 px: nothing
 * clipped, nothing fetched, legends and phases drawn without any hover, the
 * per-endpoint, status and per-query evidence there, deltas beside baselines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChrome } from '../browser/find-chrome.ts';
import { evaluateBudget } from '../budgets/evaluate.ts';
import { loadBudget } from '../budgets/load.ts';
import { readResults } from '../results/io.ts';
import { loadReportAssets } from './assets.ts';
import { renderReport } from './render.ts';
import { chartSpecs } from './charts.ts';
import { bytes, ms } from './format.ts';
import { renderIndex, summarizeRun } from './index-page.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-real-'));
let browser: Browser;
let page: Page;
const errors: string[] = [];
const requests: string[] = [];

const results = readResults('toolkit/report/fixtures/real-run.json');
const baseline = readResults('toolkit/report/fixtures/real-run-baseline.json');
const verdicts = evaluateBudget(results, loadBudget('budgets/default.json'), {
  baseline,
  baselineSource: 'reports/earlier/results.json',
});
const chartSpecsOf = (id: string) => {
  const spec = chartSpecs(results, baseline).find((c) => c.id === id);
  if (!spec) throw new Error(`no chart ${id}`);
  return spec;
};
/** What the seed runs; none of it may be listed as the run's work. */
const SEED_STATEMENT = /\bCOPY\b|\bVACUUM\b|\bANALYZE\b|CREATE (UNIQUE )?INDEX|\bTRUNCATE\b/i;

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
    userDataDir: mkdtempSync(path.join(tmp, 'profile-')),
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const file = path.join(tmp, 'report.html');
  writeFileSync(file, renderReport(results, verdicts, loadReportAssets(), baseline));
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the report of a real run with a baseline, in Chromium', () => {
  it('has no console error, no network request and no sideways scroll at 1280 px', async () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0);
  });

  it("keeps every chart's y labels inside its box, measured from the drawn layout", async () => {
    const charts = await page.evaluate(() => {
      type Axis = { _values?: string[]; font: string[]; ticks: { size: number }; gap: number };
      type Plot = { axes: Axis[]; bbox: { left: number }; ctx: CanvasRenderingContext2D; root: HTMLElement };
      const list = (
        window as unknown as { perfkitCharts: Array<{ plot: Plot; el: HTMLElement; spec: { id: string } }> }
      ).perfkitCharts;
      return list.map(({ plot, el, spec }) => {
        const y = plot.axes[1];
        const labels = y?._values ?? [];
        plot.ctx.font = y?.font[0] ?? '';
        const widest = Math.max(0, ...labels.map((l) => plot.ctx.measureText(l).width / devicePixelRatio));
        const plotLeft = plot.bbox.left / devicePixelRatio;
        const box = el.closest('.chart')?.getBoundingClientRect();
        const root = plot.root.getBoundingClientRect();
        return {
          id: spec.id,
          labels: labels.length,
          // Labels end at the plot's left edge minus tick and gap; their start must not leave the canvas.
          labelStart: plotLeft - (y?.ticks.size ?? 0) - (y?.gap ?? 0) - widest,
          inBox: !!box && root.left >= box.left - 0.5 && root.right <= box.right + 0.5,
        };
      });
    });
    expect(charts.length).toBeGreaterThanOrEqual(12);
    for (const c of charts) {
      expect(c.labels, c.id).toBeGreaterThan(0);
      expect(c.labelStart, c.id).toBeGreaterThanOrEqual(0);
      expect(c.inBox, c.id).toBe(true);
    }
  });

  it('shows legends with a summary and the scenario phases on every time chart before any hover', async () => {
    const legends = await page.$$eval('.legend', (ls) =>
      ls.map((l) => Array.from(l.querySelectorAll('.lv')).map((v) => v.textContent ?? '')),
    );
    expect(legends.length).toBeGreaterThanOrEqual(12);
    for (const items of legends) {
      expect(items.length).toBeGreaterThan(0);
      expect(items.some((t) => /^last .+ · mean .+ · max .+$/.test(t))).toBe(true);
    }
    const bands = await page.$$eval('.chart-body', (els) =>
      els.map((e) => [e.id, Array.from(e.querySelectorAll('.phase-band span')).map((s) => s.textContent)] as const),
    );
    for (const [id, names] of bands) expect(names.length, id).toBeGreaterThan(0);
    expect(bands.find(([id]) => id === 'chart-latency')?.[1]).toEqual(['smoke', 'replica']);
  });

  it('draws per-endpoint p95 and stacked status classes, and database charts', async () => {
    for (const id of ['endpoints-p95', 'status', 'replica-lag', 'db-connections', 'db-hit-ratio', 'cpu', 'disk-io'])
      expect(await page.$(`#chart-${id} canvas`), id).not.toBeNull();
    const endpoints = await page.$eval('[data-legend="endpoints-p95"]', (l) => l.textContent ?? '');
    for (const name of (results.api?.endpointSeries ?? []).map((s) => s.name)) expect(endpoints).toContain(name);
    const cpu = await page.$eval('[data-legend="cpu"]', (l) => l.textContent ?? '');
    for (const role of ['generator', 'app', 'database', 'Redis']) expect(cpu).toContain(role);
  });

  it("lists the run's top statements and no seed statement", async () => {
    const rows = await page.$$eval('table.queries tbody tr', (trs) =>
      trs.map((tr) => tr.querySelector('code')?.textContent ?? ''),
    );
    const top = results.database?.queries ?? [];
    expect(top.length).toBeGreaterThan(3);
    expect(rows).toEqual(top.map((q) => q.query));
    expect(rows.filter((q) => SEED_STATEMENT.test(q))).toEqual([]);
    expect(await page.$eval('#database', (s) => s.textContent ?? '')).not.toMatch(SEED_STATEMENT);
  });

  it('shows a delta wherever a budget line has a baseline value, and the baseline overlay toggle', async () => {
    const withBaseline = verdicts.verdicts.filter((v) => v.baseline !== null && v.actual !== null && !v.notMeasured);
    expect(withBaseline.length).toBeGreaterThan(5);
    expect(await page.$$eval('.budget-table [data-delta]', (d) => d.length)).toBe(withBaseline.length);
    expect(await page.$$eval('[data-baseline-toggle]', (t) => t.length)).toBeGreaterThan(5);
    expect(await page.$$eval('#bundle [data-delta]', (d) => d.length)).toBeGreaterThan(0);
  });

  it('overlays the baseline run on a time chart when its toggle is ticked: a second, dashed series drawn', async () => {
    const spec = chartSpecsOf('latency');
    expect(spec.baseline?.series.map((x) => x.label)).toEqual(['p50', 'p95', 'p99']);
    const read = () =>
      page.evaluate(() => {
        const list = (
          window as unknown as {
            perfkitCharts: Array<{
              plot: { series: Array<{ show: boolean; dash?: number[] }>; ctx: CanvasRenderingContext2D };
              spec: { id: string };
            }>;
          }
        ).perfkitCharts;
        const c = list.find((x) => x.spec.id === 'latency');
        if (!c) return null;
        const { canvas } = c.plot.ctx;
        const pixels = c.plot.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) inked++;
        return { shown: c.plot.series.map((x) => x.show), dashed: c.plot.series.map((x) => !!x.dash), inked };
      });
    const before = await read();
    expect(before?.shown).toEqual([true, true, true, true, false, false, false]);
    await page.click('[data-baseline-toggle="latency"]');
    const after = await read();
    expect(after?.shown).toEqual([true, true, true, true, true, true, true]);
    expect(after?.dashed.slice(4)).toEqual([true, true, true]);
    // The baseline lines add ink to the canvas: they are drawn, not only listed.
    expect(after?.inked ?? 0).toBeGreaterThan((before?.inked ?? 0) + 200);
    await page.click('[data-baseline-toggle="latency"]');
    expect((await read())?.shown.slice(4)).toEqual([false, false, false]);
    expect(errors).toEqual([]);
  });

  it("details Lighthouse per page: every run's scores, median and spread, the representative run's findings with savings", async () => {
    const list = results.frontend?.lighthouse ?? [];
    expect(list.length).toBeGreaterThan(0);
    for (const l of list) {
      const key = `${l.page} · ${l.preset} · ${l.mode}`;
      const block = await page.$(`.lh-detail[data-lighthouse="${key}"]`);
      if (!block) throw new Error(`no Lighthouse detail for ${key}`);
      const runs = await block.$$eval('table.lh-runs tbody tr', (trs) =>
        trs.map((tr) => Array.from(tr.children).map((c) => c.textContent ?? '')),
      );
      const perf = (l.values?.performance ?? []).map((v) => String(Math.round((v ?? 0) * 100)));
      expect(perf.length).toBe(l.runs);
      expect(l.runs).toBeGreaterThan(1);
      // One row per run, then the median and the spread; the perf column holds each run's score.
      expect(runs.map((r) => r[1])).toEqual([
        ...perf,
        String(Math.round((l.scores.performance ?? 0) * 100)),
        String(Math.round(((l.spread.performance?.max ?? 0) - (l.spread.performance?.min ?? 0)) * 100)),
      ]);
      expect(runs[l.representativeRun ?? -1]?.[0]).toContain('representative');
      const rows = await block.$$eval('table.lh-findings tbody tr', (trs) =>
        trs.map((tr) => ({
          id: tr.getAttribute('data-audit'),
          savings: tr.querySelector('[data-savings]')?.textContent,
        })),
      );
      expect(rows.map((r) => r.id)).toEqual((l.findings ?? []).map((f) => f.id));
      for (const f of l.findings ?? []) {
        const shown = rows.find((r) => r.id === f.id)?.savings ?? '';
        if (f.savingsMs) expect(shown, f.id).toContain(ms(f.savingsMs));
        if (f.savingsBytes) expect(shown, f.id).toContain(bytes(f.savingsBytes));
        for (const m of Object.keys(f.metricSavings ?? {})) expect(shown, f.id).toContain(m);
      }
    }
    const all = list.flatMap((l) => l.findings ?? []);
    expect(all.some((f) => f.kind === 'opportunity' && (f.savingsMs ?? 0) > 0)).toBe(true);
    expect(all.some((f) => f.kind === 'diagnostic')).toBe(true);
  });

  it('states the machine the run was measured on, as recorded', async () => {
    const m = results.meta.machine;
    if (!m) throw new Error('the fixture records no machine');
    const run = await page.$$eval('#run tr', (trs) =>
      Object.fromEntries(trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent])),
    );
    expect(run['machine: cores']).toBe(String(m.cores));
    expect(run['machine: CPU']).toBe(m.cpuModel);
    expect(run['machine: memory']).toBe(bytes(m.memoryBytes));
    expect(run['machine: OS']).toBe(m.os);
    expect(run['machine: Node.js']).toBe(m.node);
    for (const [label, v] of [
      ['machine: k6', m.k6],
      ['machine: Chromium', m.chromium],
      ['machine: Lighthouse', m.lighthouse],
      ['machine: benchmark index', m.benchmarkIndex === undefined ? undefined : String(Math.round(m.benchmarkIndex))],
    ] as const)
      expect(run[label]).toBe(v);
    const facts = await page.$eval('#run-facts', (f) => f.textContent ?? '');
    expect(facts).toContain(`${m.cores} cores · ${m.cpuModel} · ${bytes(m.memoryBytes)} · ${m.os}`);
  });

  it('states the run facts beside the verdict and in the run section', async () => {
    const facts = await page.$eval('#run-facts', (f) => f.textContent ?? '');
    expect(facts).toContain(`profile ${results.meta.profile}`);
    expect(facts).toContain(`engine ${results.meta.engine}`);
    const run = await page.$eval('#run', (s) => s.textContent ?? '');
    expect(run).toContain('budget file');
    expect(run).toContain(results.meta.identity?.budget ?? 'budgets/default.json');
  });

  it('lists runs with target, profile, engine, verdict and date, and joins only comparable runs in a trend', async () => {
    const other = structuredClone(results);
    other.meta = {
      ...other.meta,
      id: 'other-app',
      target: 'http://127.0.0.1:9/',
      // Newer than both recorded runs, so its trend block comes first.
      startedAt: new Date(Date.parse(results.meta.startedAt) + 3_600_000).toISOString(),
      config: { target: 'http://127.0.0.1:9/' },
      ...(other.meta.identity ? { identity: { ...other.meta.identity, target: 'http://127.0.0.1:9/' } } : {}),
    };
    const runs = [
      summarizeRun(baseline, null, 'a/index.html'),
      summarizeRun(results, verdicts, 'b/index.html'),
      summarizeRun(other, null, 'c/index.html'),
    ];
    const file = path.join(tmp, 'index.html');
    writeFileSync(file, renderIndex(runs));
    const index = await browser.newPage();
    await index.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const heads = await index.$$eval('#runs thead th', (ths) => ths.map((t) => t.textContent ?? ''));
    for (const h of ['verdict', 'target', 'profile', 'engine', 'date']) expect(heads).toContain(h);
    const sets = await index.$$eval('.trend-set', (ss) => ss.map((s) => s.querySelectorAll('svg polyline').length));
    // The newest run (another target) stands alone; the two comparable runs share one line per figure.
    expect(sets).toEqual([0, 6]);
    await index.close();
  });
});
