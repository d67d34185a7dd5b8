import type { Results } from '../results/schema.ts';
import { html, type SafeHtml } from './escape.ts';
import { count, kpi, section } from './format.ts';

/** The app's auto-scaling: limits, peak and final instance count, and every decision with its reason (the chart shows the count over time). */
export function scalingSection(r: Results): SafeHtml {
  const s = r.scaling;
  if (!s) return section('scaling', 'Auto-scaling', null, 'The target did not report auto-scaling in this run.');
  const counts = s.series.map((p) => p.instances);
  const ups = s.decisions.filter((d) => d.action === 'up').length;
  const body = html`<div class="kpis">
  ${kpi('Limits', `${s.min}–${s.max}`, 'min–max instances')}
  ${kpi('Peak', count(counts.length ? Math.max(...counts) : null), 'instances')}
  ${kpi('At the end', count(counts[counts.length - 1]), 'instances')}
  ${kpi('Decisions', count(s.decisions.length), `${ups} up · ${s.decisions.length - ups} down`)}
</div>
<h3>Decisions</h3>
${
  s.decisions.length === 0
    ? html`<p class="empty">No scale decision during the run.</p>`
    : html`<table><thead><tr><th class="num">at</th><th>action</th><th class="num">instances</th><th>reason</th></tr></thead><tbody>${s.decisions.map((d) => html`<tr><td class="num">${d.t.toFixed(1)} s</td><td>${d.action === 'up' ? 'scale up' : 'scale down'}</td><td class="num">${d.from} → ${d.to}</td><td>${d.reason}</td></tr>`)}</tbody></table>`
}
<p class="muted">Times in seconds since the run started; decisions as the app's supervisor logged them.</p>`;
  return section('scaling', 'Auto-scaling', body);
}
