import { describe, expect, it } from 'vitest';
import { createJsonOutput } from './json-output.ts';
import { PerSecondAggregator } from './per-second.ts';
import { SampleFactory } from '../../../test/support/synthetic-samples.ts';
import { MetricsRegistry } from '../metrics/index.ts';
import { parseThresholds } from '../thresholds/index.ts';

describe('createJsonOutput', () => {
  it('writes a Metric line before the first Point of each metric, like k6 --out json', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds(
      { http_reqs: ['count>0', { threshold: 'rate>1', abortOnFail: true, delayAbortEval: '2s' }] },
      registry,
    );
    const lines: string[] = [];
    const out = createJsonOutput((line) => lines.push(line), { thresholds: specs, registry });
    registry.define({ name: 'late_metric', type: 'gauge', contains: 'default' });
    out.samples([
      { metric: 'http_reqs', value: 1, time: Date.UTC(2026, 0, 1, 12), tags: { status: '200' } },
      { metric: 'http_reqs', value: 1, time: Date.UTC(2026, 0, 1, 12), tags: { status: '500' } },
      { metric: 'late_metric', value: 3, time: Date.UTC(2026, 0, 1, 12), tags: {} },
    ]);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((p) => `${String(p['type'])}:${String(p['metric'])}`)).toEqual([
      'Metric:http_reqs',
      'Point:http_reqs',
      'Point:http_reqs',
      'Metric:late_metric',
      'Point:late_metric',
    ]);
    expect(parsed[0]).toEqual({
      type: 'Metric',
      metric: 'http_reqs',
      data: {
        name: 'http_reqs',
        type: 'counter',
        contains: 'default',
        submetrics: null,
        thresholds: ['count>0', { threshold: 'rate>1', abortOnFail: true, delayAbortEval: '2000ms' }],
      },
    });
    expect(parsed[1]).toEqual({
      metric: 'http_reqs',
      type: 'Point',
      data: { time: '2026-01-01T12:00:00.000Z', value: 1, tags: { status: '200' } },
    });
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('lists sub-metrics on their parent', () => {
    const registry = new MetricsRegistry();
    const lines: string[] = [];
    createJsonOutput((line) => lines.push(line), { registry }).samples(
      new SampleFactory().emit('http_req_duration', 3).samples,
    );
    expect(JSON.parse(lines[0] ?? '{}').data.submetrics).toEqual([
      {
        name: 'http_req_duration{expected_response:true}',
        suffix: 'expected_response:true',
        tags: { expected_response: 'true' },
      },
    ]);
  });
});

describe('PerSecondAggregator', () => {
  it('buckets requests, latency percentiles, errors, VUs, iterations and checks per second and per name', () => {
    const agg = new PerSecondAggregator();
    const f = new SampleFactory(Date.UTC(2026, 0, 1)).emit('vus', 5);
    for (let i = 1; i <= 100; i++)
      f.request({ status: i % 10 === 0 ? 500 : 200, durationMs: i, tags: { name: i % 2 ? 'odd' : 'even' } });
    f.check('ok', true)
      .check('ok', false)
      .iteration(10)
      .tick(2000)
      .request({ status: 200, durationMs: 7 })
      .emit('vus', 2);
    agg.add(f.samples);
    const series = agg.series();
    expect(series).toHaveLength(3);
    const [first, gap, last] = series;
    expect(first).toMatchObject({
      requests: 100,
      failed: 10,
      errorRate: 0.1,
      p50: 50.5,
      vus: 5,
      iterations: 1,
      checksPassed: 1,
      checksTotal: 2,
      checksPassRate: 0.5,
    });
    expect(first?.p95).toBeCloseTo(95.05, 10);
    expect(first?.p99).toBeCloseTo(99.01, 10);
    // odd durations 1,3,…,99: rank 0.95*49 = 46.55 between 93 and 95
    expect(first?.byName['odd']).toEqual({ requests: 50, p95: expect.closeTo(94.1, 10) as number });
    expect(gap).toMatchObject({ requests: 0, p95: null, errorRate: null, vus: 5, checksPassRate: null });
    expect(last).toMatchObject({ time: Date.UTC(2026, 0, 1, 0, 0, 2), requests: 1, p50: 7, vus: 2 });
  });

  it('is empty without samples', () => {
    expect(new PerSecondAggregator().series()).toEqual([]);
  });
});
