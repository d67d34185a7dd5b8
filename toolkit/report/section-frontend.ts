import type { LighthouseResult, Results } from '../results/schema.ts';
import { LIGHTHOUSE_CATEGORIES } from '../results/schema-frontend.ts';
import { html, safeUrl, type SafeHtml } from './escape.ts';
import { bar, bytes, fmt, kpi, ms, section } from './format.ts';

function scoreCircle(label: string, score: number | null | undefined): SafeHtml {
  const cls = score === null || score === undefined ? 'na' : score >= 0.9 ? 'good' : score >= 0.5 ? 'ok' : 'bad';
  const text = score === null || score === undefined ? '—' : String(Math.round(score * 100));
  return html`<div><div class="score ${cls}" title="${label}">${text}</div><div class="score-label">${label}</div></div>`;
}

const SHORT: Record<(typeof LIGHTHOUSE_CATEGORIES)[number], string> = {
  performance: 'perf',
  accessibility: 'a11y',
  'best-practices': 'best pr.',
  seo: 'SEO',
};

const METRIC_LABELS: Array<[keyof LighthouseResult['metrics'], string]> = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
  ['interactive', 'TTI'],
];

function lighthouseRow(l: LighthouseResult): SafeHtml {
  const spread = l.spread.performance;
  const chosen = l.representativeRun;
  const rule = l.aggregation === 'median' ? 'closest to the median FCP and TTI' : `${l.aggregation} run`;
  const links = l.reports.map(
    (rep, i) =>
      html`<a href="${safeUrl(rep.html ?? rep.json)}">run ${i + 1}</a>${i === chosen ? html` <span class="muted">(representative: ${rule})</span>` : ''}`,
  );
  const iqr =
    spread?.q1 !== undefined && spread.q3 !== undefined ? `, IQR ${spread.q1.toFixed(2)}–${spread.q3.toFixed(2)}` : '';
  const warnings = l.runWarnings ?? [];
  return html`<tr>
  <td><code>${l.page}</code><div class="ptr"><a href="${safeUrl(l.url)}">${l.url}</a></div></td>
  <td>${l.preset} · ${l.mode}<div class="ptr">${l.values ? 'median per figure' : l.aggregation} of ${l.runs} run${l.runs === 1 ? '' : 's'}</div></td>
  <td><div class="scores">${LIGHTHOUSE_CATEGORIES.map((c) => scoreCircle(SHORT[c], l.scores[c]))}</div></td>
  ${METRIC_LABELS.map(([k]) => html`<td class="num">${k === 'cumulative-layout-shift' ? fmt(l.metrics[k], 'number') : ms(l.metrics[k])}</td>`)}
  <td class="num">${spread ? `${spread.min.toFixed(2)}–${spread.max.toFixed(2)}${iqr}` : '—'}</td>
  <td>${links.length > 0 ? html`${links.map((a, i) => html`${i > 0 ? ' · ' : ''}${a}`)}` : html`<span class="muted">none</span>`}</td>
</tr>${warnings.length > 0 ? html`<tr class="lh-warnings"><td></td><td colspan="${METRIC_LABELS.length + 4}"><span class="muted">Lighthouse warnings:</span> ${warnings.map((w, i) => html`${i > 0 ? ' · ' : ''}${w}`)}</td></tr>` : ''}`;
}

/** Lighthouse per page + preset + mode: median scores and metrics, spread, links to each run's report. */
export function lighthouseSection(r: Results): SafeHtml {
  const list = r.frontend?.lighthouse ?? [];
  if (list.length === 0) return section('lighthouse', 'Lighthouse', null);
  const body = html`<table class="lighthouse"><thead><tr><th>page</th><th>preset</th><th>scores</th>${METRIC_LABELS.map(([, l]) => html`<th class="num">${l}</th>`)}<th class="num">perf. spread</th><th>reports</th></tr></thead>
<tbody>${list.map(lighthouseRow)}</tbody></table>`;
  return section('lighthouse', 'Lighthouse', body);
}

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
