import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateResults } from './fixtures/generate.ts';
import { fromK6Summary, type K6SummaryData } from './from-k6-summary.ts';
import { fromPerformanceSnapshot } from './from-performance-snapshot.ts';
import { readResults, validateResults } from './io.ts';

const summary = JSON.parse(readFileSync('toolkit/results/fixtures/k6-summary.json', 'utf8')) as K6SummaryData;

describe('result model', () => {
  it('validates the committed fixtures, which match the generator', () => {
    const r = readResults('toolkit/results/fixtures/results.json');
    expect(r.schemaVersion).toBe(1);
    expect(r).toEqual(JSON.parse(JSON.stringify(generateResults())));
  });

  it('rejects invalid results naming the file and JSON pointers', () => {
    const bad = structuredClone(generateResults()) as unknown as {
      api: { endpoints: Array<{ count: unknown }> };
      extra?: number;
    };
    const first = bad.api.endpoints[0];
    if (first) first.count = 'many';
    bad.extra = 1;
    expect(() => validateResults(bad, 'reports/x/results.json')).toThrow(
      /reports\/x\/results\.json#\/api\/endpoints\/0\/count: expected integer or null/,
    );
    expect(() => validateResults(bad, 'reports/x/results.json')).toThrow(
      /reports\/x\/results\.json#\/extra: unknown key "extra"/,
    );
    expect(() => validateResults({ ...generateResults(), schemaVersion: 2 }, 'r.json')).toThrow(
      /r\.json#\/schemaVersion: expected 1/,
    );
  });
});

describe('fromK6Summary', () => {
  it('turns handleSummary data into the api part', () => {
    const { api, timeSeries } = fromK6Summary(summary);
    expect(api?.requests).toBe(46574);
    expect(api?.throughput).toBeCloseTo(4656.685, 2);
    expect(api?.errorRate).toBe(0);
    expect(api?.latency?.p95).toBeCloseTo(16.296, 2);
    expect(api?.latency?.p99).toBeNull();
    expect(api?.checks).toEqual([
      { name: 'status is 200', path: '::status is 200', passes: 46574, fails: 0 },
      { name: 'body.ok is true', path: '::body.ok is true', passes: 46574, fails: 0 },
    ]);
    expect(api?.thresholds).toEqual([
      { metric: 'http_req_duration', expression: 'p(95)<200', ok: true, value: expect.any(Number), limit: 200 },
    ]);
    expect(api?.endpoints).toEqual([]);
    expect(timeSeries).toBeUndefined();
    expect(validateResults({ ...generateResults(), api, timeSeries: undefined }, 'x')).toBeTruthy();
  });

  it('reads per-endpoint figures from name sub-metrics, and the cache ratio from cache_hits', () => {
    const trend = {
      type: 'trend' as const,
      contains: 'time',
      values: { avg: 20, min: 1, med: 15, max: 90, 'p(90)': 40, 'p(95)': 55, 'p(99)': 80 },
    };
    const data: K6SummaryData = {
      ...summary,
      metrics: {
        ...summary.metrics,
        'http_req_duration{name:dashboard}': { ...trend, thresholds: { 'p(95)<300': { ok: true } } },
        'http_reqs{name:dashboard}': { type: 'counter', values: { count: 500, rate: 50 } },
        'http_req_failed{name:dashboard}': { type: 'rate', values: { rate: 0.01, passes: 5, fails: 495 } },
        cache_hits: { type: 'rate', values: { rate: 0.9, passes: 900, fails: 100 } },
      },
    };
    const { api, cache } = fromK6Summary(data);
    expect(api?.endpoints).toEqual([
      {
        name: 'dashboard',
        count: 500,
        rps: 500 / (10001.535308 / 1000),
        errorRate: 0.01,
        latency: { avg: 20, min: 1, p50: 15, p90: 40, p95: 55, p99: 80, max: 90 },
      },
    ]);
    expect(api?.thresholds).toContainEqual({
      metric: 'http_req_duration{name:dashboard}',
      expression: 'p(95)<300',
      ok: true,
      // The measured aggregate the expression judged, and its limit, for the report's margin column.
      value: 55,
      limit: 300,
    });
    expect(cache).toEqual({ hitRatio: 0.9, hits: 900, misses: 100 });
  });

  it('prefers the runner per-second aggregates for endpoints and builds the time series', () => {
    const latency = { avg: 5, min: 1, p50: 4, p90: 8, p95: 9, p99: 12, max: 30 };
    const { api, timeSeries } = fromK6Summary(summary, {
      points: [{ t: 0, requests: 100, errors: 1, vus: 5, p50: 4, p95: 9, p99: 12, cacheHits: 3, cacheMisses: 1 }],
      endpoints: [{ name: 'me', method: 'GET', count: 100, errors: 2, latency }],
    });
    expect(api?.endpoints).toEqual([
      { name: 'me', method: 'GET', count: 100, rps: 100 / (10001.535308 / 1000), errorRate: 0.02, latency },
    ]);
    expect(timeSeries).toEqual([{ t: 0, rps: 100, p50: 4, p95: 9, p99: 12, vus: 5, errors: 1, cacheHitRatio: 0.75 }]);
  });

  it("takes the built-in runner's timeseries: per-second points, and per-name counts for sub-metric endpoints", () => {
    const trend = {
      type: 'trend' as const,
      contains: 'time',
      values: { avg: 20, min: 1, med: 15, max: 90, 'p(90)': 40, 'p(95)': 55 },
    };
    const data: K6SummaryData = {
      ...summary,
      metrics: { ...summary.metrics, 'http_req_duration{name:dashboard}': trend },
    };
    const t0 = Date.parse('2026-11-25T10:00:00Z');
    const { api, timeSeries } = fromK6Summary(data, [
      {
        time: t0,
        requests: 10,
        failed: 0,
        p50: 3,
        p95: 9,
        p99: 11,
        vus: 2,
        byName: { dashboard: { requests: 6, p95: 9 }, me: { requests: 4, p95: 2 } },
      },
      {
        time: t0 + 1000,
        requests: 12,
        failed: 1,
        p50: 4,
        p95: 10,
        p99: 12,
        vus: null,
        byName: { dashboard: { requests: 7, p95: 10 } },
      },
    ]);
    expect(timeSeries).toEqual([
      { t: 0, rps: 10, p50: 3, p95: 9, p99: 11, vus: 2, errors: 0 },
      { t: 1, rps: 12, p50: 4, p95: 10, p99: 12, vus: 0, errors: 1 },
    ]);
    expect(api?.endpoints).toEqual([
      {
        name: 'dashboard',
        count: 13,
        rps: 13 / (10001.535308 / 1000),
        errorRate: null,
        latency: { avg: 20, min: 1, p50: 15, p90: 40, p95: 55, p99: null, max: 90 },
      },
    ]);
    expect(validateResults({ ...generateResults(), api, timeSeries }, 'x')).toBeTruthy();
  });
});

describe('fromPerformanceSnapshot', () => {
  it('maps the seed PerformanceMetrics plus cache', () => {
    const parts = fromPerformanceSnapshot({
      database: {
        queryTime: 2.5,
        connectionCount: 12,
        slowQueries: ['SELECT 1', { query: 'SELECT pg_sleep(1)', calls: 2, meanMs: 1001 }],
      },
      api: { responseTime: 10, throughput: 100, errorRate: 0 },
      frontend: { loadTime: 800, renderTime: 300, bundleSize: 100_000 },
      cache: { hits: 80, misses: 20, byKind: { metrics: { hits: 8, misses: 2 } } },
      instances: [{ pid: 1 }],
    });
    expect(parts.database).toEqual({
      queryTime: 2.5,
      connectionCount: 12,
      slowQueries: ['SELECT 1', 'SELECT pg_sleep(1)'],
      slowQueryDetails: [{ query: 'SELECT pg_sleep(1)', calls: 2, meanMs: 1001 }],
    });
    expect(parts.frontend).toEqual({
      loadTime: 800,
      renderTime: 300,
      bundleSize: 100_000,
      lighthouse: [],
      browserSamples: [],
    });
    expect(parts.cache).toEqual({
      hitRatio: 0.8,
      hits: 80,
      misses: 20,
      byKind: { metrics: { hits: 8, misses: 2, hitRatio: 0.8 } },
    });
  });

  it('names the pointer when the snapshot is not PerformanceMetrics-shaped', () => {
    expect(() => fromPerformanceSnapshot({ database: { queryTime: 'fast' } })).toThrow(
      /GET \/api\/performance#\/database\/queryTime/,
    );
  });
});
