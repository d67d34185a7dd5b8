import type { LighthouseResult, Results } from '../results/schema.ts';
import { LIGHTHOUSE_CATEGORIES } from '../results/schema-frontend.ts';
import { html, safeUrl, type SafeHtml } from './escape.ts';
import { bytes, fmt, ms, section } from './format.ts';

type Finding = NonNullable<LighthouseResult['findings']>[number];

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

const label = (l: LighthouseResult): string => `${l.page} · ${l.preset} · ${l.mode}`;
const score100 = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : String(Math.round(v * 100));
const metric = (id: string, v: number | null | undefined): string =>
  id === 'cumulative-layout-shift' ? fmt(v, 'number') : ms(v);

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
  return html`<tr>
  <td><code>${l.page}</code><div class="ptr"><a href="${safeUrl(l.url)}">${l.url}</a></div></td>
  <td>${l.preset} · ${l.mode}<div class="ptr">${l.values ? 'median per figure' : l.aggregation} of ${l.runs} run${l.runs === 1 ? '' : 's'}</div></td>
  <td><div class="scores">${LIGHTHOUSE_CATEGORIES.map((c) => scoreCircle(SHORT[c], l.scores[c]))}</div></td>
  ${METRIC_LABELS.map(([k]) => html`<td class="num">${metric(k, l.metrics[k])}</td>`)}
  <td class="num">${spread ? `${spread.min.toFixed(2)}–${spread.max.toFixed(2)}${iqr}` : '—'}</td>
  <td>${links.length > 0 ? html`${links.map((a, i) => html`${i > 0 ? ' · ' : ''}${a}`)}` : html`<span class="muted">none</span>`}</td>
</tr>`;
}

/** Every run's scores and key metrics, then their median and spread (max − min) per figure. */
function runsTable(l: LighthouseResult): SafeHtml {
  const values = l.values ?? {};
  const n = Math.max(0, ...Object.values(values).map((v) => v.length));
  if (n === 0) return html``;
  const ids = [...LIGHTHOUSE_CATEGORIES, ...METRIC_LABELS.map(([k]) => k)];
  const show = (id: string, v: number | null | undefined): string =>
    (LIGHTHOUSE_CATEGORIES as readonly string[]).includes(id) ? score100(v) : metric(id, v);
  const rows = Array.from({ length: n }, (_, i) => {
    const rep = i === l.representativeRun;
    return html`<tr${rep ? html` class="representative"` : ''}><td>run ${i + 1}${rep ? html` <span class="muted">(representative)</span>` : ''}</td>${ids.map((id) => html`<td class="num">${show(id, values[id]?.[i])}</td>`)}</tr>`;
  });
  const median = (id: string): number | null | undefined =>
    (LIGHTHOUSE_CATEGORIES as readonly string[]).includes(id)
      ? l.scores[id as keyof LighthouseResult['scores']]
      : l.metrics[id as keyof LighthouseResult['metrics']];
  const spread = (id: string): string => {
    const s = l.spread[id];
    if (!s) return '—';
    return show(id, s.max - s.min);
  };
  return html`<table class="lh-runs"><thead><tr><th>run</th>${LIGHTHOUSE_CATEGORIES.map((c) => html`<th class="num">${SHORT[c]}</th>`)}${METRIC_LABELS.map(([, t]) => html`<th class="num">${t}</th>`)}</tr></thead>
<tbody>${rows}<tr class="median"><th>median</th>${ids.map((id) => html`<td class="num">${show(id, median(id))}</td>`)}</tr>
<tr class="spread"><th>spread <span class="muted">(max − min)</span></th>${ids.map((id) => html`<td class="num">${spread(id)}</td>`)}</tr></tbody></table>`;
}

/** The estimated saving of a finding: time and bytes (opportunities), then per metric. */
function savings(f: Finding): string {
  const parts: string[] = [];
  if (f.savingsMs) parts.push(ms(f.savingsMs));
  if (f.savingsBytes) parts.push(bytes(f.savingsBytes));
  for (const [m, v] of Object.entries(f.metricSavings ?? {})) parts.push(`${m} −${m === 'CLS' ? v.toFixed(3) : ms(v)}`);
  return parts.join(' · ') || '—';
}

function findingsTable(kind: Finding['kind'], list: Finding[]): SafeHtml {
  const mine = list.filter((f) => f.kind === kind);
  if (mine.length === 0)
    return html`<p class="muted">${kind === 'opportunity' ? 'No opportunity' : 'No diagnostic'} left to act on.</p>`;
  return html`<table class="lh-findings" data-kind="${kind}"><thead><tr><th>${kind}</th><th class="num">score</th><th class="num">estimated savings</th><th>Lighthouse says</th></tr></thead><tbody>${mine.map((f) => html`<tr data-audit="${f.id}"><td class="long">${f.title}<div class="ptr"><code>${f.id}</code></div></td><td class="num">${score100(f.score)}</td><td class="num" data-savings>${savings(f)}</td><td class="long">${f.displayValue ?? ''}</td></tr>`)}</tbody></table>`;
}

/** One page · preset · mode in detail: each run's figures, the representative run's findings and warnings. */
function detail(l: LighthouseResult): SafeHtml {
  const chosen = l.representativeRun;
  const findings = l.findings;
  const warnings = l.runWarnings ?? [];
  return html`<div class="lh-detail" data-lighthouse="${label(l)}"><h3>${label(l)}</h3>
${runsTable(l)}
${
  findings === undefined
    ? html`<p class="muted">This run's results predate the recording of opportunities and diagnostics.</p>`
    : html`<p class="muted">Opportunities and diagnostics of the representative run${chosen !== undefined ? ` (run ${chosen + 1})` : ''}, biggest estimated savings first:</p>${findingsTable('opportunity', findings)}${findingsTable('diagnostic', findings)}`
}
${warnings.length > 0 ? html`<div class="measurement-warnings lh-run-warnings"><b>Run warnings</b>${warnings.map((w) => html`<div>⚠ ${w}</div>`)}</div>` : ''}</div>`;
}

/** Lighthouse per page + preset + mode: median scores and metrics, spread, every run, findings, reports. */
export function lighthouseSection(r: Results): SafeHtml {
  const list = r.frontend?.lighthouse ?? [];
  if (list.length === 0) return section('lighthouse', 'Lighthouse', null);
  const body = html`<table class="lighthouse"><thead><tr><th>page</th><th>preset</th><th>scores</th>${METRIC_LABELS.map(([, l]) => html`<th class="num">${l}</th>`)}<th class="num">perf. spread</th><th>reports</th></tr></thead>
<tbody>${list.map(lighthouseRow)}</tbody></table>
${list.map(detail)}`;
  return section('lighthouse', 'Lighthouse', body);
}
