import { describe, expect, it } from 'vitest';
import { aggregate, decide, initialPolicyState } from './policy.ts';
import type { LoadReading, ScaleDecision, ScalingPolicy } from './policy.ts';

const policy: ScalingPolicy = {
  min: 1,
  max: 3,
  up: { cpuPercent: 75, lagMs: 100, p95Ms: 500, readings: 3 },
  down: { cpuPercent: 30, lagMs: 30, p95Ms: 150, readings: 5 },
  cooldownMs: 4000,
};

const busy = { cpuPercent: 90, lagMs: 10, p95Ms: 50 };
const quiet = { cpuPercent: 5, lagMs: 2, p95Ms: 5 };
const middling = { cpuPercent: 50, lagMs: 10, p95Ms: 50 };

/** Runs readings one second apart from t=0, applying each decision; returns the decisions and the final count. */
function run(
  readings: Omit<LoadReading, 'at'>[],
  start = 1,
  p = policy,
): { decisions: ScaleDecision[]; current: number } {
  let state = initialPolicyState();
  let current = start;
  const decisions: ScaleDecision[] = [];
  readings.forEach((r, i) => {
    const out = decide(p, state, { ...r, at: i * 1000 }, current);
    state = out.state;
    if (out.decision) {
      decisions.push(out.decision);
      current = out.decision.to;
    }
  });
  return { decisions, current };
}

const times = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

describe('scaling policy', () => {
  it('adds one instance after the up window of consecutive high readings, not before', () => {
    expect(run(times(2, busy)).decisions).toEqual([]);
    const { decisions } = run(times(3, busy));
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ action: 'up', from: 1, to: 2, at: new Date(2000).toISOString() });
    expect(decisions[0]?.reason).toContain('cpu 90% > 75%');
  });

  it('a dip inside the window starts the count again', () => {
    expect(run([busy, busy, middling, busy, busy]).decisions).toEqual([]);
  });

  it('any one signal is enough to scale up: event-loop lag or p95', () => {
    const lag = run(times(3, { cpuPercent: 10, lagMs: 250, p95Ms: 20 })).decisions[0];
    expect(lag?.reason).toContain('event-loop lag 250 ms > 100 ms');
    const p95 = run(times(3, { cpuPercent: 10, lagMs: 5, p95Ms: 800 })).decisions[0];
    expect(p95?.reason).toContain('p95 800 ms > 500 ms');
  });

  it('waits for the cool-down before counting again', () => {
    // up at t=2; cool-down until t=6 (readings at 3,4,5 ignored); then 3 more high readings: t=6,7,8.
    const { decisions } = run(times(9, busy));
    expect(decisions.map((d) => [d.at, d.to])).toEqual([
      [new Date(2000).toISOString(), 2],
      [new Date(8000).toISOString(), 3],
    ]);
  });

  it('never goes above max nor below min', () => {
    expect(run(times(40, busy), 3).decisions).toEqual([]);
    expect(run(times(40, quiet), 1).decisions).toEqual([]);
  });

  it('removes one after the longer low window, then another after the cool-down', () => {
    const { decisions, current } = run(times(16, quiet), 3);
    // first at t=4 (5 low readings), cool-down to t=8, five more low readings t=8..12.
    expect(decisions.map((d) => [d.action, d.from, d.to, d.at])).toEqual([
      ['down', 3, 2, new Date(4000).toISOString()],
      ['down', 2, 1, new Date(12000).toISOString()],
    ]);
    expect(current).toBe(1);
  });

  it('hysteresis: a load between the thresholds neither adds nor removes', () => {
    expect(run(times(30, middling), 2).decisions).toEqual([]);
  });

  it('judges removal by the load the remaining instances would carry', () => {
    // 20% on each of 2 instances is 40% on one: over the 30% down threshold, so it stays at 2.
    expect(run(times(30, { cpuPercent: 20, lagMs: 2, p95Ms: 5 }), 2).decisions).toEqual([]);
    // 12% on each of 2 is 24% on one: low enough.
    expect(run(times(5, { cpuPercent: 12, lagMs: 2, p95Ms: 5 }), 2).decisions).toHaveLength(1);
  });

  it('brings the count back inside the limits at once', () => {
    expect(run([quiet], 0).decisions[0]).toMatchObject({ action: 'up', from: 0, to: 1 });
    expect(run([busy], 5).decisions[0]).toMatchObject({ action: 'down', from: 5, to: 3 });
  });

  it('a spike then a quiet tail: up, up, then down, down', () => {
    const { decisions, current } = run([...times(12, busy), ...times(30, quiet)]);
    expect(decisions.map((d) => `${d.action} ${d.from}->${d.to}`)).toEqual([
      'up 1->2',
      'up 2->3',
      'down 3->2',
      'down 2->1',
    ]);
    expect(current).toBe(1);
  });
});

describe('aggregate', () => {
  it('means the CPU and takes the worst lag and p95, ignoring instances without requests', () => {
    expect(
      aggregate(5, [
        { cpuPercent: 80, lagMs: 3, p95Ms: null },
        { cpuPercent: 40, lagMs: 12, p95Ms: 30 },
      ]),
    ).toEqual({ at: 5, cpuPercent: 60, lagMs: 12, p95Ms: 30 });
    expect(aggregate(5, [])).toEqual({ at: 5, cpuPercent: 0, lagMs: 0, p95Ms: null });
  });
});
