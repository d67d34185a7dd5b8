import { describe, expect, it } from 'vitest';
import { readResults } from '../results/io.ts';
import { generateResults } from '../results/fixtures/generate.ts';
import type { Results } from '../results/schema.ts';
import { evaluateBudget } from './evaluate.ts';
import { loadBudget, parseBudget } from './load.ts';

const results = readResults('toolkit/results/fixtures/results.json');
const baseline = readResults('toolkit/results/fixtures/baseline.json');
const fixture = (name: string) => loadBudget(`toolkit/budgets/fixtures/${name}`);

function withDashboardP95(r: Results, p95: number): Results {
  const copy = structuredClone(r);
  const ep = copy.api?.endpoints.find((e) => e.name === 'dashboard');
  if (!ep) throw new Error('fixture lacks dashboard');
  ep.latency.p95 = p95;
  return copy;
}

describe('evaluateBudget', () => {
  it('passes the realistic fixture against the default and CI budgets', () => {
    for (const file of ['budgets/default.json', 'budgets/ci.json']) {
      const v = evaluateBudget(results, loadBudget(file));
      expect(v.outcome, file).toBe('pass');
      expect(v.counts.fail + v.counts.warn).toBe(0);
      expect(v.verdicts.length).toBeGreaterThan(20);
    }
  });

  it('fails an error-level entry with a verdict line naming file, pointer, limit, value and baseline', () => {
    const slow = withDashboardP95(results, 412);
    const base = withDashboardP95(baseline, 298);
    const v = evaluateBudget(slow, loadBudget('budgets/default.json'), {
      baseline: base,
      baselineSource: 'old/results.json',
    });
    expect(v.outcome).toBe('fail');
    const line = v.verdicts.find((x) => x.pointer === '/api/endpoints/dashboard/p95' && x.check === 'absolute');
    expect(line?.status).toBe('fail');
    expect(line?.message).toBe(
      'budgets/default.json#/api/endpoints/dashboard/p95: expected <= 300 ms, found 412 ms (+112 ms, baseline 298 ms)',
    );
    expect(v.baseline).toBe('old/results.json');
  });

  it('warns without failing when only warn-level entries are exceeded', () => {
    const v = evaluateBudget(results, fixture('warn-only.json'));
    expect(v.outcome).toBe('warn');
    expect(v.counts).toEqual({ pass: 1, warn: 1, fail: 0, skip: 0 });
    expect(v.verdicts[0]?.message).toMatch(
      /^toolkit\/budgets\/fixtures\/warn-only\.json#\/api\/endpoints\/dashboard\/p95: expected <= 10 ms, found /,
    );
  });

  it('fails a regression beyond the tolerance even within the absolute limit', () => {
    const now = withDashboardP95(results, 120);
    const base = withDashboardP95(baseline, 100);
    const v = evaluateBudget(now, fixture('regression.json'), { baseline: base });
    const dash = v.verdicts.filter((x) => x.pointer === '/api/endpoints/dashboard/p95');
    expect(dash.map((x) => [x.check, x.status])).toEqual([
      ['absolute', 'pass'],
      ['regression', 'fail'],
    ]);
    expect(dash[1]?.message).toContain(
      'regression check: expected <= 110 ms (baseline 100 ms +10%), found 120 ms (+20 ms, +20% vs baseline; significance not tested: no observations kept)',
    );
    expect(v.outcome).toBe('fail');
    // within tolerance: passes
    const ok = evaluateBudget(withDashboardP95(results, 105), fixture('regression.json'), { baseline: base });
    expect(
      ok.verdicts.find((x) => x.pointer === '/api/endpoints/dashboard/p95' && x.check === 'regression')?.status,
    ).toBe('pass');
  });

  it('judges an absolute tolerance on a baseline-only entry', () => {
    const slower = generateResults({ slowdown: 1.5 });
    const v = evaluateBudget(slower, fixture('regression.json'), { baseline: results });
    const series = v.verdicts.filter((x) => x.pointer === '/api/endpoints/series/p95');
    expect(series).toHaveLength(1);
    expect(series[0]?.check).toBe('regression');
    expect(series[0]?.status).toBe('fail');
    // without a baseline a tolerance-only entry has nothing to judge against
    expect(
      evaluateBudget(slower, fixture('regression.json')).verdicts.some(
        (x) => x.pointer === '/api/endpoints/series/p95',
      ),
    ).toBe(false);
  });

  it('reports a missing measurement as not measured, failing unless optional', () => {
    const bare: Results = { ...structuredClone(results), bundle: undefined, database: undefined };
    delete bare.bundle;
    delete bare.database;
    const v = evaluateBudget(bare, fixture('not-measured.json'));
    expect(v.outcome).toBe('fail');
    const bundle = v.verdicts.find((x) => x.pointer.startsWith('/bundle'));
    const lag = v.verdicts.find((x) => x.pointer.startsWith('/database'));
    expect(bundle?.notMeasured).toBe(true);
    expect(bundle?.status).toBe('fail');
    expect(bundle?.message).toBe(
      'toolkit/budgets/fixtures/not-measured.json#/bundle/initialJs/gzip: not measured: the results have no initial JavaScript (gzip)',
    );
    expect(lag?.status).toBe('skip');
  });

  it('skips, rather than fails, entries of parts the run was told not to measure', () => {
    const bare: Results = structuredClone(results);
    delete bare.bundle;
    const v = evaluateBudget(bare, fixture('not-measured.json'), { skipped: { '/bundle': '--no-bundle' } });
    const bundle = v.verdicts.find((x) => x.pointer.startsWith('/bundle'));
    expect(bundle?.status).toBe('skip');
    expect(bundle?.message).toBe(
      'toolkit/budgets/fixtures/not-measured.json#/bundle/initialJs/gzip: not measured in this run (--no-bundle)',
    );
    // a part that was measured is judged as usual even when listed
    const measured = evaluateBudget(results, fixture('not-measured.json'), { skipped: { '/bundle': '--no-bundle' } });
    expect(measured.verdicts.find((x) => x.pointer.startsWith('/bundle'))?.status).not.toBe('skip');
  });

  it('fails the entries of a part that failed, with its error, even where the part was optional', () => {
    const bare: Results = structuredClone(results);
    delete bare.bundle;
    const v = evaluateBudget(bare, fixture('not-measured.json'), {
      failed: { '/bundle': 'bundle: webpack stats unreadable' },
      skipped: { '/bundle': '--no-bundle' },
    });
    const bundle = v.verdicts.find((x) => x.pointer.startsWith('/bundle'));
    expect(bundle?.status).toBe('fail');
    expect(bundle?.message).toBe(
      'toolkit/budgets/fixtures/not-measured.json#/bundle/initialJs/gzip: error: part failed (bundle: webpack stats unreadable)',
    );
    expect(v.outcome).toBe('fail');
  });

  it('accepts a Lighthouse budget.json and judges it from the resource summary', () => {
    const b = fixture('lighthouse-budget.json');
    expect(b.format).toBe('lighthouse');
    const v = evaluateBudget(results, b);
    const script = v.verdicts.filter((x) => x.pointer === '/0/resourceSizes/0/budget');
    expect(script.length).toBe(results.frontend?.lighthouse.length);
    expect(script.every((x) => x.status === 'pass')).toBe(true);
    // /login$ only matches the login page, whose scripts exceed 50 KiB when cold
    const login = v.verdicts.filter((x) => x.pointer === '/1/resourceSizes/0/budget');
    expect(login.every((x) => x.subject?.startsWith('login'))).toBe(true);
    expect(login.filter((x) => x.status === 'fail').map((x) => x.subject)).toEqual([
      'login · desktop · cold',
      'login · mobile · cold',
    ]);
    expect(login[0]?.message).toMatch(
      /lighthouse-budget\.json#\/1\/resourceSizes\/0\/budget \(login · desktop · cold\): expected <= 51\.2 kB, found 104\.9 kB/,
    );
  });

  it('is pure: the same inputs give the same verdicts', () => {
    const b = loadBudget('budgets/default.json');
    expect(evaluateBudget(results, b, { baseline })).toEqual(evaluateBudget(results, b, { baseline }));
  });

  it('rejects a limit of the wrong kind with the pointer and what was expected', () => {
    expect(() => parseBudget({ api: { throughput: '300 ms' } }, 'b.json')).toThrow(
      /b\.json#\/api\/throughput: expected a rate such as "50\/s"/,
    );
    expect(() => parseBudget({ cache: { hitRatio: '120%' } }, 'b.json')).toThrow(
      /b\.json#\/cache\/hitRatio: expected a ratio .*between 0 and 1/,
    );
  });
});
