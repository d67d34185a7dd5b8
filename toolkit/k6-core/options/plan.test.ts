import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { planRun } from './plan.ts';

describe('planRun', () => {
  it('applies k6 shortcuts', () => {
    expect(planRun({}).scenarios[0]).toMatchObject({
      name: 'default',
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
    });
    expect(planRun({ vus: 4, duration: '10s' }).scenarios[0]).toMatchObject({
      executor: 'constant-vus',
      vus: 4,
      durationMs: 10_000,
    });
    expect(planRun({ vus: 2, iterations: 10, duration: '5s' }).scenarios[0]).toMatchObject({
      executor: 'shared-iterations',
      maxDurationMs: 5000,
    });
    expect(planRun({ stages: [{ duration: '1s', target: 3 }] }).scenarios[0]).toMatchObject({
      executor: 'ramping-vus',
      startVUs: 1,
    });
  });

  it('CLI shapes replace the script scenarios, as k6 does', () => {
    const plan = planRun(
      { scenarios: { a: { executor: 'constant-vus', vus: 9, duration: '1m' } } },
      { vus: 2, duration: '5s' },
    );
    expect(plan.scenarios).toHaveLength(1);
    expect(plan.scenarios[0]).toMatchObject({ name: 'default', executor: 'constant-vus', vus: 2, durationMs: 5000 });
  });

  it("a higher tier with duration/iterations/stages replaces the lower tiers' execution config (CLI > env > script)", () => {
    const stages = { stages: [{ duration: '5m', target: 50 }] };
    expect(planRun(stages, { vus: 1, iterations: 1 }).scenarios).toEqual([
      expect.objectContaining({ executor: 'shared-iterations', vus: 1, iterations: 1 }),
    ]);
    expect(planRun(stages, { duration: '1s' }).scenarios[0]).toMatchObject({ executor: 'constant-vus', vus: 1 });
    expect(planRun(stages, {}, { K6_ITERATIONS: '1' }).scenarios[0]).toMatchObject({ iterations: 1 });
    expect(planRun(stages, { iterations: 2 }, { K6_ITERATIONS: '4' }).scenarios[0]).toMatchObject({ iterations: 2 });
    // vus alone keeps the stages and becomes their start
    expect(planRun(stages, { vus: 2 }).scenarios[0]).toMatchObject({ executor: 'ramping-vus', startVUs: 2 });
    const scenarios = { scenarios: { main: { executor: 'constant-vus', vus: 2, duration: '3s' } } };
    const plan = planRun(scenarios, { iterations: 2 });
    expect(plan.scenarios[0]).toMatchObject({ name: 'default', executor: 'shared-iterations', iterations: 2 });
    expect(plan.warnings).toEqual(['"cli" level configuration overrode scenarios configuration entirely']);
  });

  it('vus alone is shared-iterations with as many iterations as VUs (k6 2.x)', () => {
    expect(planRun({}, { vus: 3 }).scenarios[0]).toMatchObject({
      executor: 'shared-iterations',
      vus: 3,
      iterations: 3,
    });
    const plan = planRun(
      { scenarios: { main: { executor: 'constant-vus', vus: 2, duration: '3s' } } },
      {},
      { K6_VUS: '3' },
    );
    expect(plan.scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 3, iterations: 3 });
    expect(plan.warnings).toEqual(['`vus=3` overrides scenarios configuration']);
  });

  it('conflicting shortcuts in one tier are invalid options', () => {
    expect(() => planRun({ iterations: 3, stages: [{ duration: '1s', target: 1 }] })).toThrow(
      /options\.iterations cannot be used together with options\.stages/,
    );
    expect(() => planRun({}, {}, { K6_VUS: 'many' })).toThrow(/K6_VUS/);
  });

  it('rejects unknown executors with k6 exit code 104', () => {
    expect(() => planRun({ scenarios: { a: { executor: 'externally-controlled' } } })).toThrow(
      /options\.scenarios\.a\.executor/,
    );
  });

  it('parses k6 durations', () => {
    expect(parseDuration('1m30s', 'x')).toBe(90_000);
    expect(parseDuration('250ms', 'x')).toBe(250);
    expect(parseDuration(5, 'x', 's')).toBe(5000);
    expect(() => parseDuration('soon', 'x')).toThrow();
  });
});
