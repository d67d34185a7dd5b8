#!/usr/bin/env -S npx tsx
/// <reference lib="dom" />
// Regenerates docs/report.png (the top of a report: verdict, budgets, charts) and
// docs/report-database-lighthouse.png (the database and Lighthouse sections) from a real run:
// the fixture scripts/record-report-fixture.ts recorded, or `--from reports/<run>/results.json [--baseline FILE]`.
// `npx tsx scripts/report-screenshots.ts`
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer';
import { findChrome } from '../toolkit/browser/find-chrome.ts';
import { evaluateBudget } from '../toolkit/budgets/evaluate.ts';
import { loadBudget } from '../toolkit/budgets/load.ts';
import { main } from '../toolkit/cli/io.ts';
import { loadReportAssets } from '../toolkit/report/assets.ts';
import { renderReport } from '../toolkit/report/render.ts';
import { readResults } from '../toolkit/results/io.ts';

const ROOT = path.join(import.meta.dirname, '..');

await main(async (io) => {
  const { values } = parseArgs({
    args: io.argv,
    options: { from: { type: 'string' }, baseline: { type: 'string' }, budget: { type: 'string' } },
  });
  const from = values.from ?? 'toolkit/report/fixtures/real-run.json';
  const base = values.baseline ?? (values.from ? undefined : 'toolkit/report/fixtures/real-run-baseline.json');
  const results = readResults(from, io.cwd);
  const baseline = base ? readResults(base, io.cwd) : undefined;
  const verdicts = evaluateBudget(results, loadBudget(values.budget ?? 'budgets/default.json', ROOT), {
    ...(baseline && base ? { baseline, baselineSource: base } : {}),
  });
  const tmp = mkdtempSync(path.join(tmpdir(), 'perfkit-shots-'));
  const browser = await puppeteer.launch({
    executablePath: findChrome(io.env),
    headless: true,
    userDataDir: path.join(tmp, 'profile'),
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--hide-scrollbars'],
  });
  try {
    const file = path.join(tmp, 'report.html');
    writeFileSync(file, renderReport(results, verdicts, loadReportAssets(), baseline));
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const top = path.join(ROOT, 'docs', 'report.png');
    // From the top through the charts over time.
    const until = await page.evaluate(() => {
      const t = document.getElementById('timeline')?.getBoundingClientRect();
      return t ? t.bottom + window.scrollY + 8 : 2200;
    });
    await page.screenshot({ path: top, clip: { x: 0, y: 0, width: 1280, height: Math.min(until, 6000) } });
    const box = await page.evaluate(() => {
      const a = document.getElementById('database')?.getBoundingClientRect();
      const b = document.getElementById('lighthouse')?.getBoundingClientRect();
      return a && b ? { y: a.top + window.scrollY, bottom: b.bottom + window.scrollY } : undefined;
    });
    if (!box) throw new Error('the report has no database or Lighthouse section');
    const second = path.join(ROOT, 'docs', 'report-database-lighthouse.png');
    await page.screenshot({ path: second, clip: { x: 0, y: box.y - 8, width: 1280, height: box.bottom - box.y + 16 } });
    io.stderr.write(`wrote ${path.relative(ROOT, top)} and ${path.relative(ROOT, second)} from ${from}\n`);
    return 0;
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
