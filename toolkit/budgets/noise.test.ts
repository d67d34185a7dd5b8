import { describe, expect, it } from 'vitest';
import { generateResults } from '../results/fixtures/generate.ts';
import type { LighthouseResult, Results } from '../results/schema.ts';
import { latencyOf } from '../loadtest/samples.ts';
import { evaluateBudget } from './evaluate.ts';
import { parseBudget } from './load.ts';

/** The fixture with its first Lighthouse result's performance scores over runs set (median as the score). */
function withPerformanceRuns(runs: number[]): Results {
  const r = structuredClone(generateResults());
  const lh = r.frontend?.lighthouse ?? [];
  const first = lh[0] as LighthouseResult;
  const sorted = [...runs].sort((a, b) => a - b);
  first.scores.performance = sorted[Math.floor(sorted.length / 2)] ?? null;
  first.values = { performance: runs };
  first.runs = runs.length;
  if (r.frontend) r.frontend.lighthouse = [first];
  return r;
}

/** The fixture with the dashboard endpoint's latencies made of `values` (ms): percentiles, intervals, histogram. */
function withDashboard(values: number[]): Results {
  const r = structuredClone(generateResults());
  const ep = r.api?.endpoints.find((e) => e.name === 'dashboard');
  const latency = latencyOf(values);
  if (!ep || !latency) throw new Error('fixture lacks dashboard');
  ep.latency = latency;
  return r;
}

/** Deterministic pseudo-random latencies around `center` ms. */
function latencies(n: number, center: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return center * (0.8 + 0.4 * (x / 2 ** 31));
  });
}

describe('noise-aware verdicts', () => {
  const lighthouseBudget = (entry: unknown, defaults?: object) =>
    parseBudget(
      { ...(defaults ? { defaults } : {}), frontend: { lighthouse: { scores: { performance: entry } } } },
      'b.json',
    );

  it('calls a limit inside the interval over runs inconclusive: warn by default, error when the budget says so', () => {
    const r = withPerformanceRuns([0.84, 0.93, 0.88, 0.86, 0.91]);
    const v = evaluateBudget(r, lighthouseBudget('>= 0.9')).verdicts[0];
    expect(v?.inconclusive).toBe(true);
    expect(v?.status).toBe('warn');
    expect(v?.interval).toEqual({ lo: 0.84, hi: 0.93, n: 5, unit: 'runs' });
    expect(v?.message).toMatch(/: inconclusive: 0\.88 \(0\.84–0\.93 over 5 runs\) vs >= 0\.9$/);
    const strict = evaluateBudget(r, lighthouseBudget({ limit: '>= 0.9', inconclusive: 'error' })).verdicts[0];
    expect(strict?.status).toBe('fail');
    const byDefault = evaluateBudget(r, lighthouseBudget('>= 0.9', { inconclusive: 'error' })).verdicts[0];
    expect(byDefault?.status).toBe('fail');
    // Clear of the interval: pass or fail as before, with the interval in the line.
    const pass = evaluateBudget(r, lighthouseBudget('>= 0.8')).verdicts[0];
    expect(pass?.status).toBe('pass');
    expect(pass?.inconclusive).toBeUndefined();
    expect(pass?.message).toContain('found 0.88 (0.84–0.93 over 5 runs)');
    expect(evaluateBudget(r, lighthouseBudget('>= 0.95')).verdicts[0]?.status).toBe('fail');
    // One run has no interval: a plain verdict.
    expect(evaluateBudget(withPerformanceRuns([0.88]), lighthouseBudget('>= 0.9')).verdicts[0]?.status).toBe('fail');
  });

  it("judges API p95 with the order-statistic interval of the run's requests", () => {
    const r = withDashboard(latencies(400, 100, 1));
    const ep = r.api?.endpoints.find((e) => e.name === 'dashboard');
    const p95 = ep?.latency.p95 ?? 0;
    const interval = ep?.latency.intervals?.p95;
    if (!interval) throw new Error('no interval');
    expect(interval.lo).toBeLessThan(p95);
    expect(interval.hi).toBeGreaterThan(p95);
    const budget = (limit: number) =>
      parseBudget({ api: { endpoints: { dashboard: { p95: `<= ${limit} ms` } } } }, 'b.json');
    const inside = evaluateBudget(r, budget((interval.lo + p95) / 2)).verdicts[0];
    expect(inside?.inconclusive).toBe(true);
    expect(inside?.status).toBe('warn');
    expect(inside?.message).toMatch(/inconclusive: .* over 400 requests\) vs <= /);
    expect(evaluateBudget(r, budget(interval.hi + 1)).verdicts[0]?.status).toBe('pass');
    expect(evaluateBudget(r, budget(interval.lo - 1)).verdicts[0]?.status).toBe('fail');
  });

  it('calls a regression only when beyond the tolerance and significant, at the level regressions set', () => {
    const budget = (regressions?: object) =>
      parseBudget(
        {
          ...(regressions ? { regressions } : {}),
          api: { endpoints: { dashboard: { p95: { limit: '<= 10 s', tolerance: '+10%' } } } },
        },
        'b.json',
      );
    const base = withDashboard(latencies(300, 100, 1));
    const slower = withDashboard(latencies(300, 130, 2));
    const same = withDashboard(latencies(300, 100, 3));
    const reg = (r: Results, b = budget()) =>
      evaluateBudget(r, b, { baseline: base }).verdicts.find((v) => v.check === 'regression');
    const slow = reg(slower);
    expect(slow?.status).toBe('fail');
    expect(slow?.significance?.significant).toBe(true);
    expect(slow?.significance?.p).toBeLessThan(0.001);
    expect(slow?.significance?.probabilityWorse).toBeGreaterThan(0.8);
    expect(slow?.message).toMatch(/Mann–Whitney p = .*, P\(worse\) = 0\.\d\d, 300 vs 300 requests/);
    expect(reg(same)?.status).toBe('pass');
    expect(reg(slower, budget({ level: 'warn' }))?.status).toBe('warn');
    expect(reg(slower, budget({ level: 'warn' }))?.level).toBe('warn');

    // Beyond the tolerance on a handful of requests: not significant, so not a regression.
    const few = withDashboard([100, 140, 90, 180]);
    const fewBase = withDashboard([95, 120, 100, 110]);
    const noisy = evaluateBudget(few, budget(), { baseline: fewBase }).verdicts.find((v) => v.check === 'regression');
    expect(noisy?.status).toBe('pass');
    expect(noisy?.significance?.significant).toBe(false);
    expect(noisy?.message).toMatch(/not significant, no regression/);
  });
});
