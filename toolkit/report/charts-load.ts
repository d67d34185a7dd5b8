import type { Results } from '../results/schema.ts';
import { autoLog, onSharedX, round, type ChartSpec } from './chart-data.ts';

/** The load test's charts: throughput, latency, VUs, failures, status classes, per-endpoint p95, cache, page loads. */
export function loadCharts(r: Results): ChartSpec[] {
  const ts = r.timeSeries ?? [];
  const specs: ChartSpec[] = [];
  if (ts.length > 0) {
    const x = ts.map((p) => p.t);
    specs.push({
      id: 'rps',
      title: 'Requests per second',
      unit: '/s',
      x,
      series: [{ label: 'requests/s', values: ts.map((p) => round(p.rps)) }],
    });
    specs.push(
      autoLog({
        id: 'latency',
        title: 'Latency percentiles',
        unit: 'ms',
        x,
        series: [
          { label: 'p50', values: ts.map((p) => round(p.p50)) },
          { label: 'p95', values: ts.map((p) => round(p.p95)) },
          { label: 'p99', values: ts.map((p) => round(p.p99)) },
        ],
      }),
    );
    specs.push({
      id: 'vus',
      title: 'Virtual users',
      unit: '',
      x,
      series: [{ label: 'VUs', values: ts.map((p) => p.vus) }],
      integer: true,
    });
    specs.push({
      id: 'errors',
      title: 'Failed requests per second',
      unit: '/s',
      x,
      series: [{ label: 'errors/s', values: ts.map((p) => p.errors) }],
    });
  }
  specs.push(...statusChart(r), ...endpointChart(r));
  if (ts.some((p) => p.cacheHitRatio !== undefined && p.cacheHitRatio !== null)) {
    const ratio = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v * 100);
    specs.push({
      id: 'cache',
      title: 'Cache hit ratio',
      unit: '%',
      x: ts.map((p) => p.t),
      series: [{ label: 'hit ratio', values: ts.map((p) => round(ratio(p.cacheHitRatio), 1)) }],
    });
  }
  const samples = [...(r.frontend?.browserSamples ?? [])].sort((a, b) => a.t - b.t);
  if (samples.length > 0) {
    specs.push({
      id: 'browser',
      title: 'Page loads during the load test',
      unit: 'ms',
      x: samples.map((s) => s.t),
      series: [
        { label: 'load', values: samples.map((s) => round(s.loadTime)) },
        { label: 'render', values: samples.map((s) => round(s.renderTime)) },
        { label: 'LCP', values: samples.map((s) => round(s.lcp)) },
      ],
    });
  }
  return specs;
}

/** Responses per second by status class, stacked; network errors (no HTTP status) apart. */
function statusChart(r: Results): ChartSpec[] {
  const points = r.api?.statusSeries ?? [];
  if (points.length === 0) return [];
  const classes = [
    ['2xx', 's2xx'],
    ['3xx', 's3xx'],
    ['4xx', 's4xx'],
    ['5xx', 's5xx'],
    ['network errors', 'network'],
  ] as const;
  return [
    {
      id: 'status',
      title: 'Responses per second by status',
      unit: '/s',
      stacked: true,
      x: points.map((p) => p.t),
      series: classes.map(([label, key]) => ({ label, values: points.map((p) => p[key]) })),
    },
  ];
}

/** p95 of each of the busiest endpoints (by `name` tag) over time; the rest grouped as `other`. */
function endpointChart(r: Results): ChartSpec[] {
  const series = r.api?.endpointSeries ?? [];
  if (series.length === 0) return [];
  const shared = onSharedX(
    series.map((s) => ({ label: s.name, samples: s.points })),
    (p) => p.p95,
  );
  return [autoLog({ id: 'endpoints-p95', title: 'p95 per endpoint', unit: 'ms', ...shared })];
}
