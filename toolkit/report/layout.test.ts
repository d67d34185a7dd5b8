/**
 * The report's layout with hostile lengths, in real Chromium at 1280 px: a
 * check named with 10,000 characters (no spaces) wraps inside its cell, its
 * full text stays in the page and on hover, and the page never scrolls sideways.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../browser/index.ts';
import { evaluateBudget } from '../budgets/evaluate.ts';
import { loadBudget } from '../budgets/load.ts';
import { readResults } from '../results/io.ts';
import { loadReportAssets } from './assets.ts';
import { renderReport } from './render.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-layout-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('report layout', () => {
  it('a 10,000-character check name wraps: no sideways scroll at 1280 px', async () => {
    const results = readResults('toolkit/results/fixtures/results.json');
    const longName = 'x'.repeat(10_000);
    results.api!.checks = [
      ...(results.api!.checks ?? []),
      { name: longName, path: `::${'p'.repeat(2000)}::${longName}`, passes: 3, fails: 1 },
    ];
    const verdicts = evaluateBudget(results, loadBudget('budgets/default.json'));
    const file = path.join(tmp, 'index.html');
    writeFileSync(file, renderReport(results, verdicts, loadReportAssets()));
    const b = await launchBrowser({ env: process.env, tmpRoot: tmp });
    try {
      const page = await b.browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // A string, evaluated in the page: this project's types have no DOM.
      const m = (await page.evaluate(`(() => {
        const cell = [...document.querySelectorAll('td')].find((td) => td.textContent.includes('x'.repeat(10000)));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          cellWidth: cell ? cell.getBoundingClientRect().width : -1,
          title: cell ? cell.getAttribute('title') || '' : '',
        };
      })()`)) as { scrollWidth: number; clientWidth: number; cellWidth: number; title: string };
      expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
      expect(m.cellWidth).toBeGreaterThan(0);
      expect(m.cellWidth).toBeLessThan(1280);
      expect(m.title).toBe(longName);
    } finally {
      await b.close();
    }
  }, 60_000);
});
