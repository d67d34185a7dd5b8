import { describe, expect, it } from 'vitest';
import { c01Samples, c03Samples, readShared } from '../../../test/support/conformance.ts';
import { SampleFactory } from '../../../test/support/synthetic-samples.ts';
import { MetricsRegistry } from '../metrics/index.ts';
import { evaluateThresholds, parseThresholds } from '../thresholds/index.ts';
import { buildSummaryData, DEFAULT_TREND_STATS, type SummaryInput } from './summary-data.ts';
import { buildSummaryExport, formatSummaryExport, type SummaryExport } from './summary-export.ts';
import { validateSummaryShape } from './summary-shape.ts';
import type { K6SummaryData } from './types.ts';

const EXPORT_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

function summarize(
  registry: MetricsRegistry,
  thresholds: Record<string, string[]>,
  samples: SampleFactory,
  extra: Partial<SummaryInput> = {},
): K6SummaryData {
  const specs = parseThresholds(thresholds, registry);
  registry.add(samples.samples);
  const results = evaluateThresholds(registry, specs, { elapsedMs: 236, final: true });
  return buildSummaryData({
    registry,
    specs,
    thresholds: results,
    summaryTrendStats: EXPORT_STATS,
    testRunDurationMs: 236,
    isStdOutTTY: false,
    isStdErrTTY: false,
    noColor: true,
    ...extra,
  });
}

/** Metric name -> sorted value keys (thresholds included), to compare shapes without the numbers. */
const shapeOf = (exp: SummaryExport): Record<string, string[]> =>
  Object.fromEntries(Object.entries(exp.metrics).map(([name, values]) => [name, Object.keys(values).sort()]));

describe('buildSummaryData', () => {
  it('has the shape of real k6 handleSummary data for every metric type', () => {
    const example = readShared<K6SummaryData>('summary-example.json');
    expect(validateSummaryShape(example)).toEqual([]);
    const registry = new MetricsRegistry();
    const f = new SampleFactory().emit('vus', 1).emit('vus_max', 50);
    for (let i = 0; i < 10; i++)
      f.request({ status: 200, durationMs: 2 + i })
        .check('status is 200', true)
        .check('body.ok is true', true)
        .iteration(3 + i);
    const data = summarize(registry, { http_req_duration: ['p(95)<200'] }, f, {
      summaryTrendStats: DEFAULT_TREND_STATS,
    });
    expect(validateSummaryShape(data)).toEqual([]);
    expect(Object.keys(data).sort()).toEqual(Object.keys(example).sort());
    expect(Object.keys(data.metrics).sort()).toEqual(Object.keys(example.metrics).sort());
    for (const [name, metric] of Object.entries(example.metrics)) {
      const ours = data.metrics[name];
      expect({
        name,
        type: ours?.type,
        contains: ours?.contains,
        keys: Object.keys(ours?.values ?? {}).sort(),
        thresholds: ours?.thresholds,
      }).toEqual({
        name,
        type: metric.type,
        contains: metric.contains,
        keys: Object.keys(metric.values).sort(),
        thresholds: metric.thresholds,
      });
    }
    expect(data.root_group.checks.map((c) => [c.path, c.id])).toEqual(
      example.root_group.checks.map((c) => [c.path, c.id]),
    );
    expect(data.metrics['checks']?.values).toEqual({ rate: 1, passes: 20, fails: 0 });
    expect(data.metrics['http_reqs']?.values['rate']).toBeCloseTo(10 / 0.236, 9);
  });

  it('flags shape problems with JSON pointers', () => {
    const data = readShared<K6SummaryData>('summary-example.json');
    delete (data.metrics['vus']?.values as Record<string, number>)['min'];
    (data.metrics as Record<string, unknown>)['x/y'] = { type: 'histogram', contains: 'time', values: {} };
    expect(validateSummaryShape(data)).toEqual([
      '/metrics/vus/values/min: expected number, found undefined',
      '/metrics/x~1y/type: unknown metric type "histogram"',
    ]);
    expect(validateSummaryShape([])).toEqual(['(root): expected an object']);
  });

  it('rejects unknown summaryTrendStats', () => {
    expect(() =>
      summarize(new MetricsRegistry(), {}, new SampleFactory(), { summaryTrendStats: ['avg', 'p95'] }),
    ).toThrow(/'p95'/);
    const data = summarize(new MetricsRegistry(), {}, new SampleFactory().iteration(5), {
      summaryTrendStats: ['count', 'p(99.99)'],
    });
    expect(data.metrics['iteration_duration']?.values).toEqual({ count: 1, 'p(99.99)': 5 });
  });
});

describe('buildSummaryExport', () => {
  it('matches real k6 --summary-export for c03-thresholds-mixed (metrics, value keys, crossed thresholds)', () => {
    const k6 = readShared<SummaryExport>('conformance/k6-output/c03-thresholds-mixed.summary-export.json');
    const { registry, factory, thresholds } = c03Samples();
    const ours = buildSummaryExport(summarize(registry, thresholds, factory));
    expect(shapeOf(ours)).toEqual(shapeOf(k6));
    for (const [name, values] of Object.entries(k6.metrics)) {
      expect([name, ours.metrics[name]?.['thresholds']]).toEqual([name, values['thresholds']]);
    }
    expect(Object.keys(ours.metrics['good_ratio'] ?? {})).toEqual(Object.keys(k6.metrics['good_ratio'] ?? {}));
    expect(ours.metrics['payload_size{kind:big}']?.['max']).toBe(46);
    expect(ours.root_group).toEqual(k6.root_group);
  });

  it('matches real k6 for c01-checks-groups: the groups/checks tree with k6 ids and counts', () => {
    const k6 = readShared<SummaryExport>('conformance/k6-output/c01-checks-groups.summary-export.json');
    const { registry, factory } = c01Samples();
    const ours = buildSummaryExport(summarize(registry, {}, factory));
    expect(ours.root_group).toEqual(k6.root_group);
    expect(shapeOf(ours)).toEqual(shapeOf(k6));
    expect(ours.metrics['checks']).toEqual({ passes: 45, fails: 15, value: 0.75 });
    expect(ours.metrics['http_req_failed']).toEqual({ passes: 15, fails: 15, value: 0.5 });
  });

  it('writes 4-space indented JSON like k6', () => {
    const text = formatSummaryExport(summarize(new MetricsRegistry(), {}, new SampleFactory().iteration(1)));
    expect(text.split('\n')[1]).toBe('    "root_group": {');
  });
});
