import type { ComparisonEntry, Results } from '../results/schema.ts';
import { html, type SafeHtml } from './escape.ts';
import { bar, count, ms, pct, perSec, section } from './format.ts';

/** Endpoint names measured in every pass, so their columns compare like with like. */
function sharedEndpoints(entries: ComparisonEntry[]): string[] {
  const [first, ...rest] = entries;
  const names = (first?.api.endpoints ?? []).map((e) => e.name);
  return names.filter((n) => rest.every((e) => e.api.endpoints.some((x) => x.name === n))).sort();
}

/** Endpoints carrying at least 5 % of every pass's requests: the load itself, not set-up calls such as logins. */
function mainEndpoints(entries: ComparisonEntry[], names: string[]): string[] {
  return names.filter((n) =>
    entries.every((e) => (e.api.endpoints.find((x) => x.name === n)?.count ?? 0) >= 0.05 * e.api.requests),
  );
}

function change(from: number | null | undefined, to: number | null | undefined): string {
  if (!from || to === null || to === undefined) return '—';
  const d = (to - from) / from;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(0)} %`;
}

function passRows(entries: ComparisonEntry[], endpoints: string[]): SafeHtml[] {
  const maxRps = Math.max(0, ...entries.map((e) => e.api.throughput ?? 0));
  const maxP95 = Math.max(0, ...entries.map((e) => e.api.latency?.p95 ?? 0));
  return entries.map((e) => {
    const ok = e.api.thresholds.filter((t) => t.ok).length;
    return html`<tr><th>${e.label}</th><td class="num">${count(e.api.requests)}</td>
<td class="num">${perSec(e.api.throughput)}</td><td style="width:140px">${bar(e.api.throughput, maxRps)}</td>
<td class="num">${ms(e.api.latency?.p95)}</td><td style="width:140px">${bar(e.api.latency?.p95, maxP95)}</td>
${endpoints.map((n) => {
  const ep = e.api.endpoints.find((x) => x.name === n);
  return html`<td class="num">${perSec(ep?.rps)} · ${ms(ep?.latency.p95)}</td>`;
})}
<td class="num">${pct(e.api.errorRate)}</td><td class="num">${count(ok)} / ${count(e.api.thresholds.length)}</td></tr>`;
  });
}

/** The passes of a comparison run (e.g. 1 vs 2 database shards) side by side: one row per pass, bars on a shared scale. */
export function comparisonSection(r: Results): SafeHtml {
  const entries = r.comparison ?? [];
  if (entries.length === 0)
    return section('comparison', 'Comparison', null, 'This run compared nothing (see --compare-shards).');
  const endpoints = sharedEndpoints(entries);
  const first = entries[0];
  const last = entries[entries.length - 1];
  const summary =
    first && last && entries.length > 1
      ? html`<p>${last.label} vs ${first.label}: throughput ${change(first.api.throughput, last.api.throughput)},
p95 ${change(first.api.latency?.p95, last.api.latency?.p95)}${mainEndpoints(entries, endpoints).map((n) => {
          const p95 = (e: ComparisonEntry): number | undefined =>
            e.api.endpoints.find((x) => x.name === n)?.latency.p95;
          return html`, <code>${n}</code> p95 ${change(p95(first), p95(last))}`;
        })} (same scenarios, same arrival rates, a fresh stack per pass).</p>`
      : html``;
  const body = html`${summary}<table class="comparison"><thead><tr><th>pass</th><th class="num">requests</th>
<th class="num">throughput</th><th></th><th class="num">p95</th><th></th>
${endpoints.map((n) => html`<th class="num"><code>${n}</code> req/s · p95</th>`)}
<th class="num">errors</th><th class="num">thresholds ok</th></tr></thead><tbody>
${passRows(entries, endpoints)}
</tbody></table>`;
  return section('comparison', 'Comparison', body);
}
