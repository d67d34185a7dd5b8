import { describe, expect, it } from 'vitest';
import { planRun } from '../options/index.ts';
import { arrivalOffset, arrivalSegments, iterationOffset } from './arrival-rate.ts';
import { initialVus, scenarioMaxMs, scenarioNominalMs } from './durations.ts';
import { rampingSteps } from './ramping-vus.ts';

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
    const segs = arrivalSegments(constant);
    expect(segs).toEqual([{ start: 0, duration: 1000, r0: 0.01, r1: 0.01, before: 0 }]);
    expect(iterationOffset(segs, 0)).toBe(0);
    expect(iterationOffset(segs, 5)).toBeCloseTo(500);
    // k6 has a tick at t = duration too: 11 starts for 10/s over 1 s
    expect(arrivalOffset(constant, segs, 10)).toBeCloseTo(1000);
    expect(arrivalOffset(constant, segs, 11)).toBeNull();
    const ramp = [{ start: 0, duration: 1000, r0: 0, r1: 0.02, before: 0 }];
    // 0→20/s over 1 s: area 10·t²; ramping-arrival-rate starts iteration i (1-based) when the area reaches i.
    const rampPlan = { executor: 'ramping-arrival-rate' as const };
    expect(arrivalOffset(rampPlan, ramp, 0)).toBeCloseTo(Math.sqrt(0.1) * 1000, 5);
    expect(arrivalOffset(rampPlan, ramp, 3)).toBeCloseTo(Math.sqrt(0.4) * 1000, 5);
    expect(arrivalOffset(rampPlan, ramp, 9)).toBeCloseTo(1000);
    expect(arrivalOffset(rampPlan, ramp, 10)).toBeNull();
  });

  it('ramping-arrival-rate has one segment per stage, each knowing the iterations before it', () => {
    const plan = planRun({
      scenarios: {
        a: {
          executor: 'ramping-arrival-rate',
          startRate: 10,
          timeUnit: '1s',
          preAllocatedVUs: 2,
          stages: [
            { duration: '2s', target: 30 },
            { duration: '1s', target: 30 },
          ],
        },
      },
    }).scenarios[0]!;
    expect(arrivalSegments(plan)).toEqual([
      { start: 0, duration: 2000, r0: 0.01, r1: 0.03, before: 0 },
      { start: 2000, duration: 1000, r0: 0.03, r1: 0.03, before: 40 },
    ]);
    const segs = arrivalSegments(plan);
    // 40 iterations in the ramp, then 30 more at 30/s: the 41st starts when the flat stage does.
    expect(iterationOffset(segs, 40)).toBeCloseTo(2000);
    expect(iterationOffset(segs, 69)).toBeCloseTo(2000 + 29 / 0.03);
    expect(iterationOffset(segs, 70)).toBeCloseTo(3000);
    expect(iterationOffset(segs, 70.5)).toBeNull();
  });

  it('initial VUs, nominal and longest durations per executor', () => {
    const [ramp, arrival, shared] = planRun({
      scenarios: {
        ramp: { executor: 'ramping-vus', startVUs: 2, stages: [{ duration: '10s', target: 5 }], gracefulStop: '3s' },
        arrival: {
          executor: 'constant-arrival-rate',
          rate: 5,
          duration: '20s',
          preAllocatedVUs: 4,
          maxVUs: 9,
          gracefulStop: '1s',
        },
        shared: { executor: 'shared-iterations', vus: 3, iterations: 30, maxDuration: '1m' },
      },
    }).scenarios;
    expect([ramp, arrival, shared].map((s) => initialVus(s!))).toEqual([5, 4, 3]);
    expect([ramp, arrival, shared].map((s) => scenarioNominalMs(s!))).toEqual([10_000, 20_000, 60_000]);
    // ramping-vus adds gracefulRampDown (default 30 s) to its graceful stop; the others their graceful stop only.
    expect([ramp, arrival, shared].map((s) => scenarioMaxMs(s!))).toEqual([43_000, 21_000, 90_000]);
  });
});
