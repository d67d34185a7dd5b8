import type { Results } from '../results/schema.ts';
import { html, type SafeHtml } from './escape.ts';
import { section } from './format.ts';

/** One chart's data, embedded as JSON and drawn by uPlot in the page. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: 'ms' | '/s' | '%' | 'MB' | '';
  x: number[];
  series: Array<{ label: string; values: Array<number | null> }>;
  /** Whole-number values (instance counts): ticks only at whole numbers. */
  integer?: boolean;
}

const round = (v: number | null | undefined, digits = 2): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits;

type ProcessSample = NonNullable<Results['resources']>[number]['samples'][number];

function perProcess(
  r: Results,
  read: (s: ProcessSample) => number | undefined,
  only?: (s: ProcessSample) => boolean,
): { x: number[]; series: ChartSpec['series'] } {
  const procs = (r.resources ?? []).filter((p) => !only || p.samples.some(only));
  const x = [...new Set(procs.flatMap((p) => p.samples.map((s) => s.t)))].sort((a, b) => a - b);
  const series = procs.map((p) => {
    const byT = new Map(p.samples.map((s) => [s.t, read(s)]));
    return { label: p.name, values: x.map((t) => round(byT.get(t))) };
  });
  return { x, series };
}

/** The time-series charts a run supports: load, latency, VUs, errors, cache, page loads, CPU, memory, disk, app instances. */
export function chartSpecs(r: Results): ChartSpec[] {
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
    specs.push({
      id: 'latency',
      title: 'Latency percentiles',
      unit: 'ms',
      x,
      series: [
        { label: 'p50', values: ts.map((p) => round(p.p50)) },
        { label: 'p95', values: ts.map((p) => round(p.p95)) },
        { label: 'p99', values: ts.map((p) => round(p.p99)) },
      ],
    });
    specs.push({
      id: 'vus',
      title: 'Virtual users',
      unit: '',
      x,
      series: [{ label: 'VUs', values: ts.map((p) => p.vus) }],
    });
    specs.push({
      id: 'errors',
      title: 'Failed requests per second',
      unit: '/s',
      x,
      series: [{ label: 'errors/s', values: ts.map((p) => p.errors) }],
    });
    if (ts.some((p) => p.cacheHitRatio !== undefined && p.cacheHitRatio !== null)) {
      specs.push({
        id: 'cache',
        title: 'Cache hit ratio',
        unit: '%',
        x,
        series: [
          {
            label: 'hit ratio',
            values: ts.map((p) =>
              round(p.cacheHitRatio === null || p.cacheHitRatio === undefined ? null : p.cacheHitRatio * 100, 1),
            ),
          },
        ],
      });
    }
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
  if ((r.resources ?? []).some((p) => p.samples.length > 0)) {
    specs.push({ id: 'cpu', title: 'CPU per process (% of one core)', unit: '%', ...perProcess(r, (s) => s.cpu) });
    specs.push({
      id: 'memory',
      title: 'Memory per process (RSS)',
      unit: 'MB',
      ...perProcess(r, (s) => s.rssBytes / 1e6),
    });
  }
  const disk = perProcess(
    r,
    (s) => (s.diskBytes === undefined ? undefined : s.diskBytes / 1e6),
    (s) => s.diskBytes !== undefined,
  );
  if (disk.series.length > 0) specs.push({ id: 'disk', title: 'Data folder size (disk)', unit: 'MB', ...disk });
  const used = perProcess(
    r,
    (s) => (s.usedMemoryBytes === undefined ? undefined : s.usedMemoryBytes / 1e6),
    (s) => s.usedMemoryBytes !== undefined,
  );
  if (used.series.length > 0)
    specs.push({ id: 'used-memory', title: 'Data in memory (Redis used_memory)', unit: 'MB', ...used });
  const scaling = r.scaling?.series ?? [];
  if (scaling.length > 0) {
    specs.push({
      id: 'instances',
      title: 'App instances over time',
      unit: '',
      x: scaling.map((p) => p.t),
      series: [{ label: 'instances', values: scaling.map((p) => p.instances) }],
      integer: true,
    });
  }
  return specs;
}

/** The charts section: one placeholder per chart, filled by the inline script. */
export function chartsSection(specs: ChartSpec[]): SafeHtml {
  if (specs.length === 0) return section('timeline', 'Over time', null, 'No time series was recorded in this run.');
  return section(
    'timeline',
    'Over time',
    html`<div class="charts">${specs.map((c) => html`<div class="chart"><h4>${c.title}</h4><div class="chart-body" id="chart-${c.id}" data-chart="${c.id}"></div></div>`)}</div>`,
  );
}

/** Draws every chart from the embedded JSON with uPlot; runs in the page, offline. */
export const CHARTS_SCRIPT = `
(function () {
  var node = document.getElementById('report-data');
  if (!node || typeof uPlot === 'undefined') return;
  var data = JSON.parse(node.textContent || '{}');
  var palette = ['#3b5bdb', '#e8590c', '#2f9e44', '#ae3ec9', '#c92a2a', '#1098ad', '#f08c00', '#5c940d'];
  var charts = [];
  function fmt(unit, v) {
    if (v === null || v === undefined) return '—';
    var n = Number.isInteger(v) || Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
    return unit === '' ? n : unit === '%' ? n + '%' : unit === '/s' ? n + '/s' : n + ' ' + unit;
  }
  (data.charts || []).forEach(function (c) {
    var el = document.getElementById('chart-' + c.id);
    if (!el) return;
    var series = [{ label: 'time', value: function (u, v) { return v === null ? '—' : v + ' s'; } }];
    c.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: true,
        fill: c.series.length === 1 ? palette[i % palette.length] + '1a' : undefined,
        value: function (u, v) { return fmt(c.unit, v); } });
    });
    var opts = {
      width: Math.max(280, el.clientWidth), height: 190, series: series, cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false } },
      axes: [
        { stroke: '#656d76', grid: { stroke: '#eef1f4' }, values: function (u, vals) { return vals.map(function (v) { return v + ' s'; }); } },
        { stroke: '#656d76', grid: { stroke: '#eef1f4' }, size: 64, incrs: c.integer ? [1, 2, 5, 10, 20, 50, 100] : undefined, values: function (u, vals) { return vals.map(function (v) { return fmt(c.unit, v); }); } }
      ]
    };
    var plot = new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.values; })), el);
    charts.push({ plot: plot, el: el });
  });
  var timer = null;
  window.addEventListener('resize', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      charts.forEach(function (c) { c.plot.setSize({ width: Math.max(280, c.el.clientWidth), height: 190 }); });
    }, 100);
  });
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`;
