import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { iterationOffset } from './executors/arrival-rate.ts';
import { rampingSteps } from './executors/ramping-vus.ts';
import { planRun } from './options.ts';

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

describe('schedules', () => {
  it('ramping-vus changes the VU count by one every stage/|diff|', () => {
    const plan = planRun({
      stages: [
        { duration: '2s', target: 5 },
        { duration: '2s', target: 5 },
        { duration: '1s', target: 0 },
      ],
    }).scenarios[0]!;
    expect(rampingSteps(plan).map((s) => [Math.round(s.at), s.vus])).toEqual([
      [0, 1],
      [500, 2],
      [1000, 3],
      [1500, 4],
      [2000, 5],
      [4200, 4],
      [4400, 3],
      [4600, 2],
      [4800, 1],
      [5000, 0],
    ]);
  });

  it('arrival-rate offsets integrate the rate', () => {
    const constant = planRun({
      scenarios: { a: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 1 } },
    }).scenarios[0]!;
    const segs = [{ start: 0, duration: constant.durationMs, r0: 0.01, r1: 0.01, before: 0 }];
    expect(iterationOffset(segs, 0)).toBe(0);
    expect(iterationOffset(segs, 5)).toBeCloseTo(500);
    expect(iterationOffset(segs, 10)).toBeNull();
    const ramp = [{ start: 0, duration: 1000, r0: 0, r1: 0.02, before: 0 }];
    // 0→20/s over 1 s: 10 iterations; the 5th (n=4.99…) near t = sqrt(n/10)·1000.
    expect(iterationOffset(ramp, 4)).toBeCloseTo(Math.sqrt(0.4) * 1000, 0);
    expect(iterationOffset(ramp, 10)).toBeNull();
  });
});
