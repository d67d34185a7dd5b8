import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { planRun } from './plan.ts';

describe('planRun', () => {
  it('applies k6 shortcuts', () => {
    expect(planRun({}).scenarios[0]).toMatchObject({
      name: 'default',
      executor: 'shared-iterations',
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
