import { describe, expect, it } from 'vitest';
import { computeSpread, median, selectRepresentativeRun } from './aggregate.ts';
import { summarizeRun } from './extract.ts';
import type { LhrLike } from './extract.ts';
import type { LighthouseRunSummary } from './types.ts';

function run(
  n: number,
  perf: number | null,
  fcp: number | null,
  tti: number | null,
  extra: Partial<LighthouseRunSummary> = {},
): LighthouseRunSummary {
  return {
    page: 'home',
    preset: 'mobile',
    mode: 'cold',
    run: n,
    requestedUrl: 'http://127.0.0.1/',
    finalUrl: 'http://127.0.0.1/',
    fetchTime: '2026-01-01T00:00:00.000Z',
    runtimeError: null,
    warnings: [],
    jsonPath: null,
    htmlPath: null,
    resources: {},
    scores: { performance: perf, accessibility: 1, bestPractices: 1, seo: 1 },
    metrics: {
      fcp,
      lcp: fcp === null ? null : fcp + 100,
      tbt: 0,
      cls: 0,
      si: fcp,
      tti,
      ttfb: 5,
      maxPotentialFid: 16,
      totalByteWeight: 1000,
    },
    ...extra,
  };
}

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe('selectRepresentativeRun', () => {
  it('median picks the run closest to both median FCP and median TTI', () => {
    const runs = [run(1, 0.9, 1000, 3000), run(2, 0.95, 1200, 2000), run(3, 0.8, 1100, 2600)];
    // medians: FCP 1100, TTI 2600 -> run 3 is exactly on both
    expect(selectRepresentativeRun(runs, 'median')).toBe(2);
  });

  it('median breaks distance ties with the lower TTI', () => {
    const runs = [run(1, 0.9, 1000, 2000), run(2, 0.9, 1000, 3000)];
    expect(selectRepresentativeRun(runs, 'median')).toBe(0);
  });

  it('median falls back to the median performance score when TTI is missing', () => {
    const runs = [run(1, 0.5, 1000, null), run(2, 0.9, 1000, 2000), run(3, 0.7, 1000, 2000)];
    expect(selectRepresentativeRun(runs, 'median')).toBe(2);
  });

  it('optimistic and pessimistic pick the best and worst performance score', () => {
    const runs = [run(1, 0.7, 1000, 2000), run(2, 0.95, 900, 1900), run(3, 0.6, 1500, 3000)];
    expect(selectRepresentativeRun(runs, 'optimistic')).toBe(1);
    expect(selectRepresentativeRun(runs, 'pessimistic')).toBe(2);
  });

  it('never selects a run with a runtime error and returns -1 when none is valid', () => {
    const broken = run(2, 1, 10, 10, { runtimeError: 'NO_FCP: no paint' });
    expect(selectRepresentativeRun([run(1, 0.5, 1000, 2000), broken], 'optimistic')).toBe(0);
    expect(selectRepresentativeRun([broken], 'median')).toBe(-1);
  });
});

describe('computeSpread', () => {
  it('gives min, median and max over valid runs only', () => {
    const runs = [run(1, 0.7, 1000, 2000), run(2, 0.9, 1400, 2200), run(3, 0.1, 9000, 9000, { runtimeError: 'X: y' })];
    const spread = computeSpread(runs);
    expect(spread.scores.performance).toEqual({ min: 0.7, q1: 0.75, median: 0.8, q3: 0.85, max: 0.9 });
    expect(spread.metrics.fcp).toEqual({ min: 1000, q1: 1100, median: 1200, q3: 1300, max: 1400 });
  });
});

describe('summarizeRun', () => {
  it('reads scores, metrics and resource-summary rows from an LHR', () => {
    const lhr: LhrLike = {
      lighthouseVersion: '12.8.2',
      requestedUrl: 'http://127.0.0.1/a',
      finalDisplayedUrl: 'http://127.0.0.1/b',
      fetchTime: 't',
      categories: {
        performance: { score: 0.93 },
        accessibility: { score: null },
        'best-practices': { score: 1 },
        seo: { score: 0.5 },
      },
      audits: {
        'largest-contentful-paint': { numericValue: 1234.5 },
        'server-response-time': { numericValue: 12 },
        'resource-summary': {
          details: {
            items: [{ resourceType: 'script', requestCount: 2, transferSize: 5000 }, { resourceType: 'bogus' }],
          },
        },
      },
    };
    const summary = summarizeRun(lhr, {
      page: 'p',
      preset: 'desktop',
      mode: 'warm',
      run: 1,
      jsonPath: null,
      htmlPath: null,
    });
    expect(summary.scores).toEqual({ performance: 0.93, accessibility: null, bestPractices: 1, seo: 0.5 });
    expect(summary.metrics.lcp).toBe(1234.5);
    expect(summary.metrics.ttfb).toBe(12);
    expect(summary.metrics.fcp).toBeNull();
    expect(summary.resources).toEqual({ script: { requestCount: 2, transferSize: 5000 } });
    expect(summary.finalUrl).toBe('http://127.0.0.1/b');
  });
});
