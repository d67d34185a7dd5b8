/**
 * Budgets over results of real `npm run loadtest -- --ci` runs against the
 * reference app (toolkit/results/fixtures/real-ci-run*.json), not generated ones.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readResults } from '../results/io.ts';
import { evaluateBudget } from './evaluate.ts';
import { parseBudget, loadBudget } from './load.ts';

const run = readResults('toolkit/results/fixtures/real-ci-run.json');
const earlier = readResults('toolkit/results/fixtures/real-ci-run-earlier.json');

describe('budgets over real runs', () => {
  it('every budget shipped in budgets/ is valid and judges a real run without errors of its own', () => {
    const files = readdirSync('budgets').filter((f) => f.endsWith('.json') && f !== 'budget.schema.json');
    expect(files).toEqual(expect.arrayContaining(['default.json', 'ci.json', 'autoscale.json', 'scale-shards.json']));
    for (const f of files)
      expect(evaluateBudget(run, loadBudget(`budgets/${f}`)).verdicts.length, f).toBeGreaterThan(0);
  });

  it('the CI budget passes on a real CI run, with every entry measured', () => {
    const v = evaluateBudget(run, loadBudget('budgets/ci.json'));
    expect(v.verdicts.filter((x) => x.status === 'fail').map((x) => x.message)).toEqual([]);
    expect(v.verdicts.filter((x) => x.notMeasured)).toEqual([]);
    expect(v.outcome).toBe('pass');
  });

  it('compares against an earlier real run and reports regressions beyond the tolerance', () => {
    const v = evaluateBudget(run, loadBudget('budgets/ci.json'), {
      baseline: earlier,
      baselineSource: 'earlier/results.json',
    });
    const regressions = v.verdicts.filter((x) => x.check === 'regression');
    expect(regressions.length).toBeGreaterThan(3);
    for (const r of regressions)
      expect(r.message).toMatch(/regression check: expected [<>]= .+ \(baseline .+\), found /);
    // A zero-tolerance budget turns any slowdown of the dashboard against the earlier run into a failure, and only a slowdown.
    const strict = parseBudget(
      { defaults: { tolerance: '+0%' }, api: { endpoints: { dashboard: { p95: '<= 10 s' } } } },
      'strict.json',
    );
    const judged = evaluateBudget(run, strict, { baseline: earlier }).verdicts.find((x) => x.check === 'regression');
    const now = run.api?.endpoints.find((e) => e.name === 'dashboard')?.latency.p95 ?? 0;
    const before = earlier.api?.endpoints.find((e) => e.name === 'dashboard')?.latency.p95 ?? 0;
    expect(judged?.status).toBe(now > before ? 'fail' : 'pass');
  });

  it('a tightened budget fails on the real figures and names the line', () => {
    const tight = parseBudget(
      { api: { endpoints: { dashboard: { p95: '<= 0.5 ms' } } }, bundle: { initialJs: { gzip: '<= 50 kB' } } },
      'budgets/tight.json',
    );
    const v = evaluateBudget(run, tight);
    expect(v.outcome).toBe('fail');
    expect(v.verdicts.map((x) => x.message)).toEqual([
      expect.stringMatching(
        /^budgets\/tight\.json#\/api\/endpoints\/dashboard\/p95: expected <= 0\.5 ms, found [\d.]+ ms/,
      ),
      expect.stringMatching(/^budgets\/tight\.json#\/bundle\/initialJs\/gzip: expected <= 50 kB, found [\d.]+ kB/),
    ]);
  });

  it('explains an entry that fits none of its forms with the forms it takes', () => {
    expect(() => parseBudget({ api: { p95: '<= fast' } }, 'budgets/typo.json')).toThrow(
      /budgets\/typo\.json#\/api\/p95: expected a limit such as "<= 300 ms"/,
    );
  });
});
