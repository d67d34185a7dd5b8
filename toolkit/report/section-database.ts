import type { Results } from '../results/schema.ts';
import type { ChartSpec } from './chart-data.ts';
import { chartGrid } from './charts.ts';
import { html, type SafeHtml } from './escape.ts';
import { bar, bytes, count, kpi, ms, pct, section } from './format.ts';

/** The run window's top statements by total time (pg_stat_statements deltas), SQL escaped. */
function queryTable(d: NonNullable<Results['database']>): SafeHtml {
  const queries = d.queries ?? [];
  if (queries.length === 0) return html``;
  const top = Math.max(...queries.map((q) => q.share));
  return html`<h3>Top statements by total time in the run</h3>
<table class="queries"><thead><tr><th class="num">#</th><th>statement</th><th>server</th><th class="num">calls</th><th class="num">total</th><th class="num">mean</th><th class="num">rows</th><th class="num">share of DB time</th><th></th></tr></thead><tbody>
${queries.map((q, i) => html`<tr><td class="num">${i + 1}</td><td><code class="sql">${q.query}</code></td><td class="nowrap">${q.server}</td><td class="num">${count(q.calls)}</td><td class="num">${ms(q.totalMs)}</td><td class="num">${ms(q.meanMs)}</td><td class="num">${count(q.rows)}</td><td class="num">${pct(q.share)}</td><td style="width:90px">${bar(q.share, top)}</td></tr>`)}
</tbody></table><p class="muted">From pg_stat_statements on each server: what the statements did between the first and the last scenario (reset after the seed). Normalised SQL, values as $n placeholders.</p>`;
}

function slowList(d: NonNullable<Results['database']>): SafeHtml {
  const details = d.slowQueryDetails ?? [];
  if (d.slowQueries.length === 0) return html`<h3>Slow queries</h3><p class="empty">No slow queries.</p>`;
  return html`<h3>Slow queries</h3>${
    details.length > 0
      ? html`<table><thead><tr><th>statement</th><th class="num">calls</th><th class="num">mean</th><th class="num">max</th></tr></thead><tbody>${details.map((q) => html`<tr><td><code class="sql">${q.query}</code></td><td class="num">${count(q.calls)}</td><td class="num">${ms(q.meanMs)}</td><td class="num">${ms(q.maxMs)}</td></tr>`)}</tbody></table>`
      : html`<ul>${d.slowQueries.map((q) => html`<li><code class="sql">${q}</code></li>`)}</ul>`
  }`;
}

/** Database panel: key figures, per-statement work, slow queries, and the servers over time. */
export function databaseSection(r: Results, specs: ChartSpec[] = []): SafeHtml {
  const d = r.database;
  if (!d) return section('database', 'Database', null);
  const body = html`<div class="kpis">
  ${kpi('Mean query time', ms(d.queryTime))}
  ${d.queryTimeP95 !== undefined ? kpi('Query time p95', ms(d.queryTimeP95)) : ''}
  ${kpi('Connections', count(d.connectionCount), 'peak during the run')}
  ${kpi('Slow queries', count(d.slowQueries.length))}
  ${d.replicaLagMs !== undefined ? kpi('Replica lag', ms(d.replicaLagMs), d.replicaLagBytes != null ? `largest sampled · ${bytes(d.replicaLagBytes)} of WAL` : 'largest sampled') : kpi('Replica lag', 'not measured')}
</div>
${chartGrid(specs, 'database')}
${queryTable(d)}
${slowList(d)}`;
  return section('database', 'Database', body);
}
