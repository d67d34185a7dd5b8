import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../errors.ts';
import { MetricsRegistry } from './registry.ts';
import { TrendSink } from './sinks.ts';
import { parseMetricName } from './submetric.ts';
import { SampleFactory } from '../../../test/support/synthetic-samples.ts';

describe('TrendSink', () => {
  it('interpolates percentiles between ranks like k6', () => {
    const sink = new TrendSink();
    for (const v of [10, 1, 4, 3, 2]) sink.add(v);
    expect(sink.min).toBe(1);
    expect(sink.max).toBe(10);
    expect(sink.avg).toBe(4);
    expect(sink.med).toBe(3);
    expect(sink.percentile(90)).toBeCloseTo(7.6, 10); // rank 3.6 between 4 and 10
    expect(sink.percentile(100)).toBe(10);
    expect(sink.percentile(0)).toBe(1);
  });

  it('stays exact when values arrive between queries (sorted tail merged into the sorted prefix)', () => {
    const sink = new TrendSink();
    const all: number[] = [];
    let seed = 3;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 700; i++) {
        const v = ((seed = (seed * 48271) % 2147483647) % 1000) - (round === 3 ? 2000 : 0);
        sink.add(v);
        all.push(v);
      }
      const sorted = [...all].sort((a, b) => a - b);
      expect([...sink.view()]).toEqual(sorted);
      expect(sink.med).toBe(sink.percentile(50));
    }
  });

  it('returns 0 when empty and the value itself for one sample', () => {
    const sink = new TrendSink();
    expect([sink.avg, sink.med, sink.percentile(95), sink.min, sink.max]).toEqual([0, 0, 0, 0, 0]);
    sink.add(42);
    expect(sink.percentile(99.9)).toBe(42);
  });

  it('keeps exact values past its initial capacity and after re-sorting', () => {
    const sink = new TrendSink();
    for (let i = 5000; i >= 1; i--) sink.add(i);
    expect(sink.percentile(50)).toBe(2500.5);
    sink.add(0);
    expect(sink.min).toBe(0);
    expect(sink.percentile(0)).toBe(0);
    expect(sink.count).toBe(5001);
  });
});

describe('MetricsRegistry', () => {
  it('registers k6 built-ins with their types', () => {
    const registry = new MetricsRegistry();
    expect(registry.get('http_req_duration')).toEqual({ name: 'http_req_duration', type: 'trend', contains: 'time' });
    expect(registry.get('data_sent')).toEqual({ name: 'data_sent', type: 'counter', contains: 'data' });
    expect(registry.get('vus_max')?.type).toBe('gauge');
    expect(registry.get('checks')?.type).toBe('rate');
    expect(new MetricsRegistry({ builtins: false }).definitions()).toEqual([]);
  });

  it('define is idempotent, rejects a type change and bad names', () => {
    const registry = new MetricsRegistry();
    registry.define({ name: 'items_seen', type: 'counter', contains: 'default' });
    registry.define({ name: 'items_seen', type: 'counter', contains: 'default' });
    expect(() => registry.define({ name: 'items_seen', type: 'trend', contains: 'default' })).toThrow(
      /already exists but with type counter, instead of trend/,
    );
    for (const bad of ['1abc', 'a', 'my-metric', 'a b', 'x'.repeat(130)]) {
      expect(() => registry.define({ name: bad, type: 'trend', contains: 'default' })).toThrow(ToolkitError);
    }
  });

  it('routes samples to sub-metrics whose tags match, as strings', () => {
    const registry = new MetricsRegistry();
    registry.submetric('http_req_duration{name:slow}');
    registry.submetric('http_reqs{status:200, method:"GET"}');
    const f = new SampleFactory()
      .request({ status: 200, durationMs: 20, tags: { name: 'slow' } })
      .request({ status: 200, durationMs: 2, tags: { name: 'fast', method: 'POST' } })
      .request({ status: 503, durationMs: 4 });
    registry.add(f.samples);
    const slow = registry.state('http_req_duration{name:slow}');
    expect(slow?.sink.type === 'trend' && slow.sink.count).toBe(1);
    const ok = registry.state('http_reqs{method:GET,status:200}');
    expect(registry.submetric("http_reqs{ method:'GET',status:200 }")).toBe(ok);
    expect(ok?.sink.type === 'counter' && ok.sink.count).toBe(1);
    const expected = registry.state('http_req_duration{expected_response:true}');
    expect(expected?.sink.type === 'trend' && expected.sink.count).toBe(2);
    expect(expected?.observed).toBe(true);
  });

  it('parses selectors like k6: trims, strips quotes, keeps the canonical name', () => {
    expect(parseMetricName('http_req_duration{ name:"slow" , method:GET }')).toEqual({
      parent: 'http_req_duration',
      name: 'http_req_duration{name:"slow" , method:GET}',
      suffix: 'name:"slow" , method:GET',
      tags: [
        ['name', 'slow'],
        ['method', 'GET'],
      ],
    });
    expect(() => parseMetricName('http_req_duration{name:slow')).toThrow(/missing ending bracket/);
    expect(() => parseMetricName('http_req_duration{ }')).toThrow(/cannot be empty/);
  });

  it('only shows observed metrics: sampled, or carrying thresholds', () => {
    const registry = new MetricsRegistry();
    registry.add(new SampleFactory().iteration(5).samples);
    expect(registry.observed().map((s) => s.name)).toEqual(['iteration_duration', 'iterations']);
    registry.submetric('http_req_duration{name:x}');
    registry.markObserved('http_req_duration{name:x}');
    expect(registry.observed().map((s) => s.name)).toEqual([
      'http_req_duration',
      'http_req_duration{name:x}',
      'iteration_duration',
      'iterations',
    ]);
  });

  it('tallies checks per group path and records entered groups with their parents', () => {
    const registry = new MetricsRegistry();
    registry.add(
      new SampleFactory()
        .check('ok', true, '::api')
        .check('ok', false, '::api')
        .check('root', true)
        .group('::api::nested::deep', 1).samples,
    );
    expect(registry.checks()).toEqual([
      { group: '::api', name: 'ok', passes: 1, fails: 1 },
      { group: '', name: 'root', passes: 1, fails: 0 },
    ]);
    expect(registry.groups()).toEqual(['::api', '::api::nested', '::api::nested::deep']);
  });

  it('throws on samples for undefined metrics (an engine bug, not a user error)', () => {
    const registry = new MetricsRegistry();
    expect(() =>
      registry.add([
        { metric: 'nope', value: 1, time: 0, tags: {} },
        { metric: 'iterations', value: 1, time: 0, tags: {} },
      ]),
    ).toThrow(/undefined metric 'nope'/);
    const iterations = registry.state('iterations')?.sink;
    expect(iterations?.type === 'counter' && iterations.count).toBe(1);
  });
});

describe('TrendSink past its exact limit', () => {
  it('switches to a histogram whose percentiles stay within 1% and keeps min/max/avg exact', () => {
    const exact = new TrendSink();
    const approx = new TrendSink(1000);
    let seed = 7;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 20_000; i++) {
      const v = i % 50 === 0 ? 0 : random() ** 3 * 5000 - (i % 97 === 0 ? 3 : 0);
      exact.add(v);
      approx.add(v);
    }
    expect(exact.approximate).toBe(false);
    expect(approx.approximate).toBe(true);
    expect([approx.count, approx.min, approx.max]).toEqual([exact.count, exact.min, exact.max]);
    expect(approx.avg).toBeCloseTo(exact.avg, 6);
    for (const pct of [1, 10, 50, 90, 95, 99, 99.9]) {
      const want = exact.percentile(pct);
      expect(Math.abs(approx.percentile(pct) - want)).toBeLessThanOrEqual(Math.abs(want) * 0.01 + 1e-9);
    }
    expect(approx.percentile(0)).toBe(exact.min);
    expect(approx.percentile(100)).toBe(exact.max);
  });
});
