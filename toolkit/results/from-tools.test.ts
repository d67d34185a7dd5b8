import { describe, expect, it } from 'vitest';
import type { BundleResult } from '../bundle/types.ts';
import type { LighthouseResult as LighthouseCollection, LighthouseRunSummary } from '../lighthouse/types.ts';
import { computeSpread } from '../lighthouse/aggregate.ts';
import { generateResults } from './fixtures/generate.ts';
import { fromBundleResult, fromLighthouseResult, machineFromLighthouse } from './from-tools.ts';
import { browserVersionNumber } from './machine.ts';
import { validateResults } from './io.ts';

function run(n: number, perf: number, lcp = 1200, warnings: string[] = []): LighthouseRunSummary {
  return {
    page: 'dashboard',
    preset: 'mobile',
    mode: 'cold',
    run: n,
    requestedUrl: 'http://127.0.0.1:3000/',
    finalUrl: 'http://127.0.0.1:3000/',
    fetchTime: '2026-11-25T10:00:00Z',
    scores: { performance: perf, accessibility: 0.97, bestPractices: 1, seo: null },
    metrics: {
      fcp: 800,
      lcp,
      tbt: 30,
      cls: 0.01,
      si: 900,
      tti: 1500,
      ttfb: 5,
      maxPotentialFid: 40,
      totalByteWeight: 120_000,
    },
    resources: {
      script: { requestCount: 3, transferSize: 100_000 },
      total: { requestCount: 9, transferSize: 120_000 },
    },
    runtimeError: null,
    warnings,
    jsonPath: `/runs/r1/lighthouse/dashboard-mobile-cold-${n}.json`,
    htmlPath: `/runs/r1/lighthouse/dashboard-mobile-cold-${n}.html`,
  };
}

describe('tool converters', () => {
  it('maps a Lighthouse collection: per-figure medians, spread, values, representative run, warnings, reports', () => {
    // The representative (run 2) has the median score but not the median LCP: the model reports each median.
    const runs = [run(1, 0.9, 1300, ['slow CPU']), run(2, 0.93, 1100), run(3, 0.95, 1200, ['slow CPU'])];
    const collection: LighthouseCollection = {
      baseUrl: 'http://127.0.0.1:3000',
      outDir: '/runs/r1/lighthouse',
      lighthouseVersion: '12.8.2',
      browserVersion: 'Chromium 131',
      audits: [
        {
          page: 'dashboard',
          url: 'http://127.0.0.1:3000/',
          preset: 'mobile',
          mode: 'cold',
          aggregation: 'median',
          runs,
          representative: runs[1] ?? run(2, 0.93),
          representativeIndex: 1,
          spread: computeSpread(runs),
        },
      ],
    };
    const [lh] = fromLighthouseResult(collection, '/runs/r1');
    expect(lh).toMatchObject({
      page: 'dashboard',
      runs: 3,
      aggregation: 'median',
      scores: { performance: 0.93, accessibility: 0.97, 'best-practices': 1, seo: null },
      metrics: { 'largest-contentful-paint': 1200, 'cumulative-layout-shift': 0.01, 'server-response-time': 5 },
      spread: {
        performance: { min: 0.9, max: 0.95, q1: 0.915, q3: 0.94 },
        'largest-contentful-paint': { min: 1100, max: 1300, q1: 1150, q3: 1250 },
      },
      values: { performance: [0.9, 0.93, 0.95], 'largest-contentful-paint': [1300, 1100, 1200] },
      representativeRun: 1,
      runWarnings: ['slow CPU'],
      resourceSummary: [
        { resourceType: 'script', requestCount: 3, transferSize: 100_000 },
        { resourceType: 'total', requestCount: 9, transferSize: 120_000 },
      ],
    });
    expect(lh?.reports[0]).toEqual({
      json: 'lighthouse/dashboard-mobile-cold-1.json',
      html: 'lighthouse/dashboard-mobile-cold-1.html',
    });
    const r = generateResults();
    if (!r.frontend || !lh) throw new Error('fixture');
    r.frontend.lighthouse = [lh];
    expect(validateResults(r, 'x')).toBeTruthy();
  });

  it("takes the browser's and Lighthouse's versions and the median benchmarkIndex for the machine record", () => {
    const base = { baseUrl: 'http://127.0.0.1:3000', outDir: '/runs/r1/lighthouse', audits: [] };
    expect(
      machineFromLighthouse({
        ...base,
        lighthouseVersion: '12.8.2',
        browserVersion: 'HeadlessChrome/143.0.7499.40',
        benchmarkIndex: 1450,
      }),
    ).toEqual({ chromium: '143.0.7499.40', lighthouse: '12.8.2', benchmarkIndex: 1450 });
    expect(machineFromLighthouse({ ...base, lighthouseVersion: '', browserVersion: '' })).toEqual({});
    expect(browserVersionNumber('Chrome/131.0.6778.85')).toBe('131.0.6778.85');
    expect(browserVersionNumber('some browser')).toBe('some browser');
  });

  it('maps a bundle analysis, counting shared initial JS once', () => {
    const s = (raw: number) => ({ raw, gzip: raw / 3, brotli: raw / 4 });
    const b: BundleResult = {
      statsPath: '/b/stats.json',
      outDir: '/b',
      webpackVersion: '5.102.0',
      hash: 'h',
      entrypoints: [
        { name: 'main', assets: ['vendors.js', 'main.js', 'main.css'], js: s(300), css: s(30), total: s(330) },
        { name: 'login', assets: ['vendors.js', 'login.js'], js: s(250), css: s(0), total: s(250) },
      ],
      chunks: [
        { id: '1', names: ['vendors'], initial: true, entry: false, files: ['vendors.js'], size: s(200) },
        { id: '2', names: ['main'], initial: true, entry: true, files: ['main.js', 'main.css'], size: s(130) },
        { id: '3', names: [], initial: true, entry: true, files: ['login.js'], size: s(50) },
      ],
      assets: [
        { name: 'vendors.js', kind: 'js', size: s(200), compressed: { gzip: 'computed', brotli: 'computed' } },
        { name: 'main.js', kind: 'js', size: s(100), compressed: { gzip: 'computed', brotli: 'computed' } },
        { name: 'main.css', kind: 'css', size: s(30), compressed: { gzip: 'computed', brotli: 'computed' } },
        { name: 'login.js', kind: 'js', size: s(50), compressed: { gzip: 'computed', brotli: 'computed' } },
      ],
      total: s(380),
      totalsByKind: {},
      reportPath: '/runs/r1/bundle/report.html',
    };
    const bundle = fromBundleResult(b, '/runs/r1');
    expect(bundle.initialJs).toEqual(s(350));
    expect(bundle.chunks.map((c) => c.name)).toEqual(['vendors', 'main', '3']);
    expect(bundle.assets.find((a) => a.name === 'main.css')).toMatchObject({
      type: 'css',
      initial: true,
      chunks: ['main'],
    });
    expect(bundle.analyzerReport).toBe('bundle/report.html');
    expect(validateResults({ ...generateResults(), bundle }, 'x')).toBeTruthy();
  });
});
