import { describe, expect, it } from 'vitest';
import {
  histogramCount,
  histogramOf,
  histogramPoints,
  histogramQuantile,
  mergeHistograms,
  normalCdf,
  normalQuantile,
  percentile,
  quantileEstimate,
  quantileRanks,
  rankTest,
  spreadOf,
  weighted,
} from './index.ts';

/** A seeded generator (mulberry32), so every run of these tests sees the same numbers. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal latencies around `median` ms. */
function latencies(n: number, median: number, next: () => number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return median * Math.exp(0.5 * z);
  });
}

describe('normal distribution', () => {
  it('matches known values of the CDF and its inverse', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
  });
});

describe('quantile intervals', () => {
  it('gives the exact binomial ranks', () => {
    const median100 = quantileRanks(100, 0.5);
    expect([median100.lo, median100.hi]).toEqual([39, 60]);
    expect(median100.confidence).toBeCloseTo(0.9648, 4);
    const p95 = quantileRanks(1000, 0.95);
    expect([p95.lo, p95.hi]).toEqual([935, 963]);
    expect(p95.confidence).toBeCloseTo(0.9581, 4);
  });

  it('says what confidence a small sample reaches', () => {
    // Five runs: min..max holds the median with 1 - 2/32.
    const five = quantileRanks(5, 0.5);
    expect([five.lo, five.hi]).toEqual([0, 4]);
    expect(five.confidence).toBeCloseTo(0.9375, 12);
    // Twenty requests cannot bound a p95 from above: the max is the bound, and it leaves out 0.95^20.
    const p95 = quantileRanks(20, 0.95);
    expect(p95.hi).toBe(19);
    expect(p95.confidence).toBeLessThan(0.7);
  });

  it('covers the true quantile about as often as it claims', () => {
    const next = random(7);
    let covered = 0;
    const trials = 400;
    for (let i = 0; i < trials; i++) {
      const sorted = Float64Array.from({ length: 300 }, next).sort();
      const est = quantileEstimate(sorted, 0.95)!;
      if (est.lo <= 0.95 && 0.95 <= est.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.92);
    expect(covered / trials).toBeLessThan(0.995);
  });

  it('interpolates percentiles as k6 does', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10], 95)).toBe(10);
    expect(percentile([], 95)).toBe(0);
  });
});

describe('histograms', () => {
  const next = random(11);
  const values = latencies(20_000, 40, next);
  const sorted = Float64Array.from(values).sort();

  it('reads quantiles back within 1 % of the exact ones, with an interval around them', () => {
    const h = histogramOf(values);
    expect(histogramCount(h)).toBe(values.length);
    for (const p of [0.5, 0.9, 0.95, 0.99]) {
      const exact = percentile(sorted, p * 100);
      const est = histogramQuantile(h, p)!;
      expect(Math.abs(est.value - exact) / exact).toBeLessThan(0.011);
      expect(est.lo).toBeLessThanOrEqual(est.value);
      expect(est.hi).toBeGreaterThanOrEqual(est.value);
      expect(est.hi - est.lo).toBeLessThan(exact * 0.2);
    }
  });

  it('merges into the histogram of the concatenated values', () => {
    const a = histogramOf(values.slice(0, 7000));
    const b = histogramOf(values.slice(7000));
    expect(mergeHistograms([a, b])).toEqual(histogramOf(values));
  });

  it('counts zero and broken values apart', () => {
    const h = histogramOf([0, -1, Number.NaN, 5]);
    expect(h.zero).toBe(3);
    expect(histogramCount(h)).toBe(4);
  });
});

describe('rank test', () => {
  it('finds no shift between two samples of the same distribution', () => {
    const next = random(3);
    const t = rankTest(histogramPointsOf(latencies(3000, 40, next)), histogramPointsOf(latencies(3000, 40, next)))!;
    expect(t.method).toBe('normal');
    expect(t.pGreater).toBeGreaterThan(0.05);
    expect(Math.abs(t.superiority - 0.5)).toBeLessThan(0.03);
  });

  it('finds a 10 % slowdown in a few thousand requests', () => {
    const next = random(5);
    const t = rankTest(histogramPointsOf(latencies(3000, 44, next)), histogramPointsOf(latencies(3000, 40, next)))!;
    expect(t.pGreater).toBeLessThan(0.001);
    expect(t.pLess).toBeGreaterThan(0.99);
    expect(t.superiority).toBeGreaterThan(0.55);
  });

  it('is exact for a handful of runs, ties included', () => {
    const t = rankTest(weighted([6, 7, 8, 9, 10]), weighted([1, 2, 3, 4, 5]))!;
    expect(t.method).toBe('exact');
    expect(t.pGreater).toBeCloseTo(1 / 252, 10);
    expect(t.superiority).toBe(1);
    const tied = rankTest(weighted([0.9, 0.9, 0.9]), weighted([0.9, 0.9, 0.9]))!;
    expect(tied.pGreater).toBe(1);
    expect(tied.superiority).toBe(0.5);
  });

  it('cannot call three runs against three significant at 1 %', () => {
    const t = rankTest(weighted([0.97, 0.98, 0.99]), weighted([0.8, 0.81, 0.82]))!;
    expect(t.pGreater).toBeCloseTo(0.05, 10);
  });
});

describe('spread over runs', () => {
  it('takes the median per metric, with quartiles and the median interval', () => {
    const s = spreadOf([0.88, 0.87, 0.98])!;
    expect(s.median).toBe(0.88);
    expect([s.min, s.max, s.n]).toEqual([0.87, 0.98, 3]);
    expect(s.confidence).toBeCloseTo(0.75, 12);
    const five = spreadOf([300, 120, 140, null, 130, 125])!;
    expect(five.median).toBe(130);
    expect(five.iqr).toBe(15);
    expect([five.lo, five.hi]).toEqual([120, 300]);
    expect(five.confidence).toBeCloseTo(0.9375, 12);
  });

  it('is null without values', () => {
    expect(spreadOf([null, undefined])).toBeNull();
  });
});

function histogramPointsOf(values: number[]): Array<[number, number]> {
  return histogramPoints(histogramOf(values));
}
