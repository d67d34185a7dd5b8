import type { Results } from '../results/schema.ts';
import { html, safeUrl, type SafeHtml } from './escape.ts';
import { bar, bytes, kpi, ms, section } from './format.ts';

/** RUM-style figures and page loads sampled while the load ran. */
export function browserSection(r: Results): SafeHtml {
  const f = r.frontend;
  if (!f) return section('browser', 'Browser', null);
  const samples = f.browserSamples;
  const body = html`<div class="kpis">${kpi('Load time', ms(f.loadTime))}${kpi('Render time', ms(f.renderTime))}${kpi('Bundle size', bytes(f.bundleSize), 'as the app reports it')}</div>
<h3>Page loads under load</h3>
${
  samples.length === 0
    ? html`<p class="empty">No browser samples were taken during the load.</p>`
    : html`<p class="muted">${samples.length} page loads, ${samples.filter((s) => s.error).length} failed; the chart “Page loads during the load test” shows them over time.</p><details><summary>Every page load (${samples.length} rows)</summary><table><thead><tr><th class="num">at</th><th>page</th><th class="num">load</th><th class="num">render</th><th class="num">LCP</th><th class="num">FCP</th><th class="num">TTFB</th><th>error</th></tr></thead><tbody>
${samples.map((s) => html`<tr><td class="num">${s.t.toFixed(0)} s</td><td><code>${s.page}</code></td><td class="num">${ms(s.loadTime)}</td><td class="num">${ms(s.renderTime)}</td><td class="num">${ms(s.lcp)}</td><td class="num">${ms(s.fcp)}</td><td class="num">${ms(s.ttfb)}</td><td>${s.error ?? ''}</td></tr>`)}
</tbody></table></details>`
}`;
  return section('browser', 'Browser', body);
}

/** A chunk's gzip size against the baseline's chunk of the same name: absolute and relative, or new. */
function chunkDelta(now: number, then: number | undefined): SafeHtml {
  if (then === undefined) return html`<span class="delta">new</span>`;
  const d = now - then;
  const rel = then > 0 ? ` (${d >= 0 ? '+' : ''}${((d / then) * 100).toFixed(1)}%)` : '';
  return html`<span class="delta" data-delta>${d >= 0 ? '+' : '−'}${bytes(Math.abs(d))}${rel}</span>`;
}

/** Build sizes: totals, entries, chunks and assets, with a link to the analyzer. */
export function bundleSection(r: Results, baseline?: Results): SafeHtml {
  const b = r.bundle;
  if (!b) return section('bundle', 'Bundle', null);
  const max = Math.max(1, ...b.assets.map((a) => a.gzip));
  const before = baseline?.bundle ? new Map(baseline.bundle.chunks.map((c) => [c.name, c.gzip])) : undefined;
  const sizes = (x: { raw: number; gzip: number; brotli: number | null }) =>
    html`<td class="num">${bytes(x.raw)}</td><td class="num">${bytes(x.gzip)}</td><td class="num">${bytes(x.brotli)}</td>`;
  const head = html`<th class="num">raw</th><th class="num">gzip</th><th class="num">brotli</th>`;
  const body = html`<div class="kpis">${kpi('Initial JS (gzip)', bytes(b.initialJs.gzip), `${bytes(b.initialJs.raw)} raw · ${bytes(b.initialJs.brotli)} brotli`)}${kpi('Total (gzip)', bytes(b.total.gzip), `${bytes(b.total.raw)} raw`)}${kpi('Assets', String(b.assets.length), b.tool)}</div>
${b.analyzerReport ? html`<p><a href="${safeUrl(b.analyzerReport)}">Open the bundle analyzer →</a></p>` : html`<p class="muted">No analyzer report was written.</p>`}
<h3>Entries</h3><table><thead><tr><th>entry</th>${head}<th>files</th></tr></thead><tbody>${b.entries.map((e) => html`<tr><td><code>${e.name}</code></td>${sizes(e)}<td class="mono">${e.assets.join(', ')}</td></tr>`)}</tbody></table>
<h3>Chunks</h3><table><thead><tr><th>chunk</th><th>loaded</th>${head}${before ? html`<th class="num">gzip vs baseline</th>` : ''}</tr></thead><tbody>${b.chunks.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.initial ? 'initial' : 'on demand'}</td>${sizes(c)}${before ? html`<td class="num">${chunkDelta(c.gzip, before.get(c.name))}</td>` : ''}</tr>`)}</tbody></table>
<h3>Assets</h3><table><thead><tr><th>file</th><th>type</th>${head}<th></th></tr></thead><tbody>${[...b.assets].sort((x, y) => y.gzip - x.gzip).map((a) => html`<tr><td class="mono">${a.name}</td><td>${a.type}${a.initial ? ' · initial' : ''}</td>${sizes(a)}<td style="width:120px">${bar(a.gzip, max)}</td></tr>`)}</tbody></table>`;
  return section('bundle', 'Bundle', body);
}
