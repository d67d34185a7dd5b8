import { describe, expect, it } from 'vitest';
import { baselineTime, resample, withBaseline } from './chart-baseline.ts';
import type { ChartSpec } from './chart-data.ts';

describe('baseline series on the run’s own times', () => {
  it('interpolates between samples and keeps the baseline’s gaps and ends as gaps', () => {
    const bx = [0, 1, 2, 3, 10, 11];
    const bv = [0, 10, null, 30, 100, 110];
    expect(resample(bx, bv, [-1, 0, 0.5, 1.5, 2.5, 3, 6, 10.5, 11, 12])).toEqual([
      null,
      0,
      5,
      null,
      null,
      30,
      null,
      105,
      110,
      null,
    ]);
  });

  it('lines up each scenario by its start in both runs', () => {
    const now = [
      { name: 'smoke', start: 0, end: 5 },
      { name: 'replica', start: 8, end: 20 },
    ];
    const then = [
      { name: 'smoke', start: 0, end: 6 },
      { name: 'replica', start: 11, end: 23 },
    ];
    expect(baselineTime(3, now, then)).toBe(3);
    expect(baselineTime(10, now, then)).toBe(13);
    expect(baselineTime(7, now, then)).toBe(7);
  });

  it('keeps only series both runs have, on the chart’s x, and none for stacked charts', () => {
    const spec: ChartSpec = {
      id: 'latency',
      title: 'Latency',
      unit: 'ms',
      x: [10, 11, 12],
      series: [
        { label: 'p50', values: [1, 2, 3] },
        { label: 'p95', values: [4, 5, 6] },
      ],
    };
    const before: ChartSpec = {
      ...spec,
      x: [0, 1, 2, 3, 4],
      series: [
        { label: 'p95', values: [0, 7, 8, 9, 10] },
        { label: 'p99', values: [9, 9, 9, 9, 9] },
      ],
    };
    const phases = [{ name: 'load', start: 10, end: 12 }];
    const out = withBaseline(spec, before, phases, [{ name: 'load', start: 1, end: 3 }]);
    expect(out.baseline).toEqual({ series: [{ label: 'p95', values: [7, 8, 9] }] });
    expect(withBaseline({ ...spec, stacked: true }, before, phases, phases).baseline).toBeUndefined();
    expect(withBaseline(spec, undefined, phases, phases).baseline).toBeUndefined();
  });
});
