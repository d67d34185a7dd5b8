import type { Results } from '../results/schema.ts';
import { PALETTE, summaryOf, withGaps, type ChartSpec } from './chart-data.ts';
import { withBaseline } from './chart-baseline.ts';
import { databaseCharts, resourceCharts } from './charts-backend.ts';
import { loadCharts } from './charts-load.ts';
import { html, type SafeHtml } from './escape.ts';
import { section } from './format.ts';

export type { ChartSpec } from './chart-data.ts';
export { CHARTS_SCRIPT } from './chart-script.ts';

/**
 * Every time chart of a run, gaps marked, each with the baseline run's
 * matching series when a baseline is given, resampled onto the run's own
 * times scenario by scenario (the page overlays them on demand).
 */
export function chartSpecs(r: Results, baseline?: Results): ChartSpec[] {
  const build = (x: Results): ChartSpec[] =>
    [...loadCharts(x), ...databaseCharts(x), ...resourceCharts(x)].map(withGaps);
  const specs = build(r);
  if (!baseline) return specs;
  const before = new Map(build(baseline).map((s) => [s.id, s]));
  return specs.map((s) => withBaseline(s, before.get(s.id), r.phases ?? [], baseline.phases ?? []));
}

/** A chart's legend: each series with its summary (last, mean, max), replaced by the hovered value. */
function legend(c: ChartSpec): SafeHtml {
  const items = c.series.map((s, i) => {
    const summary = summaryOf(c.unit, s.values);
    return html`<span class="li" data-i="${i}"><i style="background:${PALETTE[i % PALETTE.length] ?? '#000'}"></i>${s.label} <b class="lv" data-summary="${summary}">${summary}</b></span>`;
  });
  const toggle = c.baseline
    ? html`<label class="li baseline-toggle"><input type="checkbox" data-baseline-toggle="${c.id}"> baseline run (dashed)</label>`
    : '';
  return html`<div class="legend" data-legend="${c.id}">${items}${toggle}</div>`;
}

/** Chart boxes for one group of specs (placeholders the inline script fills). */
export function chartGrid(specs: ChartSpec[], group: NonNullable<ChartSpec['group']>): SafeHtml {
  const mine = specs.filter((c) => (c.group ?? 'timeline') === group);
  if (mine.length === 0) return html``;
  return html`<div class="charts">${mine.map((c) => html`<div class="chart" data-chart-box="${c.id}"><h4>${c.title}${c.log ? html` <span class="muted">(log scale)</span>` : ''}${c.stacked ? html` <span class="muted">(stacked)</span>` : ''}</h4><div class="chart-body" id="chart-${c.id}" data-chart="${c.id}"></div>${legend(c)}</div>`)}</div>`;
}

/** The charts section: the load test's charts; database and resource charts sit in their own sections. */
export function chartsSection(specs: ChartSpec[], phases: Results['phases']): SafeHtml {
  if (!specs.some((c) => (c.group ?? 'timeline') === 'timeline'))
    return section('timeline', 'Over time', null, 'No time series was recorded in this run.');
  const key = (phases ?? []).length
    ? html`<p class="muted">Shaded bands: ${(phases ?? []).map((p, i) => html`${i ? ', ' : ''}<b>${p.name}</b> ${p.start.toFixed(0)}–${p.end.toFixed(0)} s`)}. Gaps are seconds without samples.</p>`
    : '';
  return section('timeline', 'Over time', html`${key}${chartGrid(specs, 'timeline')}`);
}
