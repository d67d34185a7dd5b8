import type { Results } from '../results/schema.ts';
import { html, type SafeHtml } from './escape.ts';
import { bar, count, kpi, ms, pct, perSec, section } from './format.ts';

/** Key figures of the load test. */
export function apiSummarySection(r: Results): SafeHtml {
  const a = r.api;
  if (!a) return section('load', 'Load test', null);
  const body = html`<div class="kpis">
  ${kpi('Requests', count(a.requests), `${(a.durationMs / 1000).toFixed(0)} s of load`)}
  ${kpi('Throughput', perSec(a.throughput))}
  ${kpi('Response time p95', ms(a.latency?.p95), `median ${ms(a.latency?.p50)} · mean ${ms(a.responseTime)}`)}
  ${kpi('p99 / max', ms(a.latency?.p99), `max ${ms(a.latency?.max)}`)}
  ${kpi('Error rate', pct(a.errorRate))}
  ${a.vusMax !== undefined ? kpi('Peak VUs', count(a.vusMax)) : ''}
</div>`;
  return section('load', 'Load test', body);
}

/** Per-endpoint table (by k6 name tag), slowest p95 first. */
export function endpointsSection(r: Results): SafeHtml {
  const eps = [...(r.api?.endpoints ?? [])].sort((a, b) => b.latency.p95 - a.latency.p95);
  if (!r.api) return section('endpoints', 'Endpoints', null);
  if (eps.length === 0)
    return section('endpoints', 'Endpoints', null, 'No per-endpoint figures: the requests carried no name tag.');
  const max = Math.max(...eps.map((e) => e.latency.p95));
  const body = html`<table class="endpoints"><thead><tr><th>endpoint</th><th class="num">requests</th><th class="num">req/s</th><th class="num">p50</th><th class="num">p90</th><th class="num">p95</th><th></th><th class="num">p99</th><th class="num">max</th><th class="num">errors</th></tr></thead><tbody>
${eps.map((e) => html`<tr><td><code>${e.name}</code>${e.method ? html` <span class="muted">${e.method}</span>` : ''}</td><td class="num">${count(e.count)}</td><td class="num">${perSec(e.rps)}</td><td class="num">${ms(e.latency.p50)}</td><td class="num">${ms(e.latency.p90)}</td><td class="num">${ms(e.latency.p95)}</td><td style="width:120px">${bar(e.latency.p95, max)}</td><td class="num">${ms(e.latency.p99)}</td><td class="num">${ms(e.latency.max)}</td><td class="num">${pct(e.errorRate)}</td></tr>`)}
</tbody></table>`;
  return section('endpoints', 'Endpoints', body);
}
