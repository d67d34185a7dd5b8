import { describe, expect, it } from 'vitest';
import { fromAutoscalingReadings } from './autoscale-readings.ts';
import { generateResults } from '../../toolkit/results/fixtures/generate.ts';
import { validateResults } from '../../toolkit/results/io.ts';

const start = Date.parse('2026-11-25T10:00:00Z');
const at = (s: number): string => new Date(start + s * 1000).toISOString();
const up = { at: at(5), action: 'up', reason: 'cpu 90% > 75% for 3 readings', from: 1, to: 2 };
const down = { at: at(21), action: 'down', reason: 'cpu 3% low for 15 readings', from: 2, to: 1 };
const reading = (s: number, current: number, decisions: unknown[]): { t: number; body: unknown } => ({
  t: start + s * 1000,
  body: { api: {}, autoscaling: { min: 1, max: 4, current, decisions, totals: { up: 1, down: 0 } } },
});

describe('fromAutoscalingReadings', () => {
  it('maps the instance count over time with a step at each decision, and each decision once', () => {
    const scaling = fromAutoscalingReadings(
      [reading(0, 1, []), reading(8, 2, [up]), reading(24, 1, [up, down])],
      start,
    );
    expect(scaling).toEqual({
      min: 1,
      max: 4,
      series: [
        { t: 0, instances: 1 },
        { t: 5, instances: 1 },
        { t: 5, instances: 2 },
        { t: 8, instances: 2 },
        { t: 21, instances: 2 },
        { t: 21, instances: 1 },
        { t: 24, instances: 1 },
      ],
      decisions: [
        { t: 5, ...up },
        { t: 21, ...down },
      ],
    });
    const results = { ...generateResults({ seed: 1 }), scaling };
    expect(() => validateResults(results, 'results.json')).not.toThrow();
  });

  it('a reading answered just before a decision but received after it does not step back', () => {
    const scaling = fromAutoscalingReadings([reading(0, 1, []), reading(5.2, 1, [up]), reading(8, 2, [up])], start);
    expect(scaling?.series.map((p) => [p.t, p.instances])).toEqual([
      [0, 1],
      [5, 1],
      [5, 2],
      [5.2, 2],
      [8, 2],
    ]);
  });

  it('is undefined for a target without auto-scaling; malformed readings are skipped', () => {
    expect(fromAutoscalingReadings([{ t: start, body: { api: {} } }], start)).toBeUndefined();
    expect(
      fromAutoscalingReadings([{ t: start, body: null }, reading(2, 1, [{ at: 'yesterday' }])], start),
    ).toBeUndefined();
  });
});
