import { PALETTE } from './chart-data.ts';

/**
 * Draws every chart from the embedded JSON with uPlot; runs in the page, offline.
 * Axes are sized to their widest label; gaps stay gaps (no spanGaps); scenario
 * phases are DOM bands over the plot; the legend (rendered on the server with a
 * summary) shows the hovered values and returns to the summary on leave; the
 * baseline's series, when present, are drawn dashed and toggled by a checkbox.
 */
export const CHARTS_SCRIPT = `
(function () {
  var node = document.getElementById('report-data');
  if (!node || typeof uPlot === 'undefined') return;
  var data = JSON.parse(node.textContent || '{}');
  var palette = ${JSON.stringify(PALETTE)};
  var phases = data.phases || [];
  var charts = [];
  window.perfkitCharts = charts;
  function fmt(unit, v) {
    if (v === null || v === undefined || !isFinite(v)) return '—';
    var a = Math.abs(v);
    var n = Number.isInteger(v) || a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
    return unit === '' ? n : unit === '%' || unit === '/s' ? n + unit : n + ' ' + unit;
  }
  function axisSize(u, values, axisIdx, cycleNum) {
    var axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    var size = axis.ticks.size + axis.gap + 6;
    var longest = (values || []).reduce(function (acc, v) { return String(v).length > acc.length ? String(v) : acc; }, '');
    if (longest !== '') { u.ctx.font = axis.font[0]; size += u.ctx.measureText(longest).width / devicePixelRatio; }
    return Math.ceil(size);
  }
  function drawPhases(u) {
    var layer = u.root.querySelector('.phase-layer');
    if (!layer) { layer = document.createElement('div'); layer.className = 'phase-layer'; u.over.appendChild(layer); }
    layer.textContent = '';
    phases.forEach(function (p, i) {
      var l = Math.max(0, u.valToPos(p.start, 'x')), r = Math.min(u.over.clientWidth, u.valToPos(p.end, 'x'));
      if (!(r > l)) return;
      var band = document.createElement('div');
      band.className = 'phase-band' + (i % 2 ? ' odd' : '');
      band.style.left = l + 'px'; band.style.width = (r - l) + 'px';
      var label = document.createElement('span'); label.textContent = p.name; band.appendChild(label);
      layer.appendChild(band);
    });
  }
  function stack(values) {
    var out = values.map(function (s) { return s.slice(); });
    for (var i = out.length - 2; i >= 0; i--)
      for (var j = 0; j < out[i].length; j++)
        out[i][j] = out[i][j] === null && out[i + 1][j] === null ? null : (out[i][j] || 0) + (out[i + 1][j] || 0);
    return out;
  }
  (data.charts || []).forEach(function (c) {
    var el = document.getElementById('chart-' + c.id);
    var legend = document.querySelector('[data-legend="' + c.id + '"]');
    if (!el) return;
    var raw = c.series.map(function (s) { return s.values; });
    var drawn = c.stacked ? stack(raw) : raw;
    var series = [{}];
    c.series.forEach(function (s, i) {
      var colour = palette[i % palette.length];
      series.push({ label: s.label, stroke: colour, width: 1.5, spanGaps: false,
        fill: c.stacked ? colour + '99' : c.series.length === 1 ? colour + '1a' : undefined });
    });
    var xs = c.x, ys = drawn.slice();
    if (c.baseline) {
      c.baseline.series.forEach(function (s) {
        var k = c.series.findIndex(function (x) { return x.label === s.label; });
        series.push({ label: 'baseline ' + s.label, stroke: palette[(k < 0 ? 0 : k) % palette.length], width: 1.5, dash: [5, 4], spanGaps: false, show: false });
        ys.push(s.values);
      });
    }
    var opts = {
      width: Math.max(280, el.clientWidth), height: 190, series: series, legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false }, y: c.log ? { distr: 3 } : c.stacked || c.unit === '%' ? { range: function (u, min, max) { return [0, Math.max(1, max) * 1.05]; } } : {} },
      axes: [
        { stroke: '#656d76', grid: { stroke: '#eef1f4' }, size: axisSize, values: function (u, vals) { return vals.map(function (v) { return v + ' s'; }); } },
        { stroke: '#656d76', grid: { stroke: '#eef1f4' }, size: axisSize, incrs: c.integer ? [1, 2, 5, 10, 20, 50, 100] : undefined, values: function (u, vals) { return vals.map(function (v) { return fmt(c.unit, v); }); } }
      ],
      hooks: {
        draw: [drawPhases],
        setCursor: [function (u) {
          if (!legend) return;
          var idx = u.cursor.idx;
          legend.querySelectorAll('[data-i]').forEach(function (item) {
            var i = Number(item.getAttribute('data-i')), out = item.querySelector('.lv');
            if (!out) return;
            out.textContent = idx === null || idx === undefined ? out.getAttribute('data-summary') : fmt(c.unit, (raw[i] || [])[idx]) + ' at ' + xs[idx] + ' s';
          });
        }]
      }
    };
    var plot = new uPlot(opts, [xs].concat(ys), el);
    var toggle = document.querySelector('[data-baseline-toggle="' + c.id + '"]');
    if (toggle) toggle.addEventListener('change', function () {
      for (var k = c.series.length + 1; k < series.length; k++) plot.setSeries(k, { show: toggle.checked });
    });
    charts.push({ plot: plot, el: el, spec: c });
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
