import type { Results } from '../results/schema.ts';
import type { Verdicts } from '../results/verdicts.ts';
import { html, raw, safeUrl, type SafeHtml } from './escape.ts';
import { bytes, ms, pct, perSec } from './format.ts';
import { REPORT_CSS } from './styles.ts';

/** One run as the index lists it (built from its results.json and verdicts.json). */
export interface RunSummary {
  id: string;
  /** Link to the run's report, relative to reports/. */
  href: string;
  startedAt: string;
  target: string;
  /** The target as the run's identity names it (e.g. `reference app`), else its URL. */
  targetName: string;
  profile: string;
  /** Engine with its version, e.g. `k6 2.2.0`, `builtin`. */
  engine: string;
  /** Runs with the same key may be compared: same target, profile, scenarios, budget, engine and presets. */
  comparable: string;
  outcome: Verdicts['outcome'] | 'none';
  failed: number;
  warned: number;
  p95: number | null;
  throughput: number | null;
  errorRate: number | null;
  cacheHitRatio: number | null;
  lighthousePerformance: number | null;
  initialJsGzip: number | null;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** What decides whether two runs' figures belong on one trend line (the run identity when recorded). */
function comparableKey(r: Results): string {
  const id = r.meta.identity;
  if (id) return JSON.stringify({ ...id, engineVersion: null });
  // Older results: the recorded configuration's target label, scenarios and budget stand in for the identity.
  const c = r.meta.config;
  return JSON.stringify({
    target: typeof c['target'] === 'string' ? c['target'] : r.meta.target,
    profile: r.meta.profile ?? null,
    scenarios: r.meta.scenarios,
    budget: c['budget'] ?? null,
    engine: r.meta.engine,
  });
}

const targetName = (r: Results): string =>
  r.meta.identity?.target ?? (typeof r.meta.config['target'] === 'string' ? r.meta.config['target'] : r.meta.target);

/** The figures the index tracks for one run. */
export function summarizeRun(
  results: Results,
  verdicts: Verdicts | null,
  href = `${results.meta.id}/index.html`,
): RunSummary {
  const perf = (results.frontend?.lighthouse ?? [])
    .map((l) => l.scores.performance)
    .filter((s): s is number => typeof s === 'number');
  return {
    id: results.meta.id,
    href,
    startedAt: results.meta.startedAt,
    target: results.meta.target,
    targetName: targetName(results),
    profile: results.meta.profile ?? results.meta.identity?.profile ?? '—',
    engine: [results.meta.engine, results.meta.engineVersion ?? results.meta.identity?.engineVersion]
      .filter(Boolean)
      .join(' '),
    comparable: comparableKey(results),
    outcome: verdicts?.outcome ?? 'none',
    failed: verdicts?.counts.fail ?? 0,
    warned: verdicts?.counts.warn ?? 0,
    p95: results.api?.latency?.p95 ?? null,
    throughput: results.api?.throughput ?? null,
    errorRate: results.api?.errorRate ?? null,
    cacheHitRatio: results.cache?.hitRatio ?? null,
    lighthousePerformance: median(perf),
    initialJsGzip: results.bundle?.initialJs.gzip ?? null,
  };
}

/** A small inline SVG line of values over runs (oldest left); gaps for missing values. */
function sparkline(values: Array<number | null>): SafeHtml {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 2) return html`<span class="muted">—</span>`;
  const [w, h] = [140, 32];
  const min = Math.min(...known);
  const max = Math.max(...known);
  const y = (v: number) => (max === min ? h / 2 : h - 3 - ((v - min) / (max - min)) * (h - 6));
  const step = w / Math.max(1, values.length - 1);
  const points = values
    .map((v, i) => (v === null ? null : `${(i * step).toFixed(1)},${y(v).toFixed(1)}`))
    .filter((p) => p !== null);
  return html`<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img"><polyline fill="none" stroke="#3b5bdb" stroke-width="1.5" points="${points.join(' ')}"/></svg>`;
}

const TRENDS: Array<[string, (r: RunSummary) => number | null, (v: number | null) => string]> = [
  ['p95 response time', (r) => r.p95, ms],
  ['throughput', (r) => r.throughput, perSec],
  ['error rate', (r) => r.errorRate, pct],
  ['cache hit ratio', (r) => r.cacheHitRatio, pct],
  ['Lighthouse performance', (r) => r.lighthousePerformance, (v) => (v === null ? '—' : v.toFixed(2))],
  ['initial JS (gzip)', (r) => r.initialJsGzip, bytes],
];

/** reports/index.html: every run, newest first, with trends of the key figures (pure). */
export function renderIndex(runs: RunSummary[]): string {
  const newest = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  // Interrupted runs are listed but not counted in the trends: their figures are partial.
  const counted = newest.filter((r) => r.outcome !== 'interrupted');
  const oldest = [...counted].reverse();
  // One trend block per set of comparable runs, newest set first: a line never joins runs that cannot be compared.
  const sets = [...new Set(counted.map((r) => r.comparable))].slice(0, 4);
  const trends = sets.map((key, i) => {
    const runsOf = oldest.filter((r) => r.comparable === key);
    const latest = runsOf[runsOf.length - 1];
    const label = latest ? `${latest.targetName} · profile ${latest.profile} · ${latest.engine}` : '';
    return html`<section${i === 0 ? html` id="trends"` : ''} class="trend-set"><h2>Trends: ${label}</h2><p class="muted">${runsOf.length} comparable run${runsOf.length === 1 ? '' : 's'}: latest value, and the line over them (oldest on the left).</p><div class="kpis">${TRENDS.map(([name, read, format]) => html`<div class="kpi"><div class="label">${name}</div><div class="value">${format(latest ? read(latest) : null)}</div>${sparkline(runsOf.map(read))}</div>`)}</div></section>`;
  });
  const rows = newest.map(
    (r) => html`<tr>
  <td><span class="badge ${r.outcome === 'none' || r.outcome === 'interrupted' ? 'skip' : r.outcome}">${r.outcome === 'none' ? 'N/A' : r.outcome.toUpperCase()}</span></td>
  <td><a href="${safeUrl(r.href)}">${r.id}</a></td><td>${r.targetName}<div class="ptr">${r.target}</div></td><td>${r.profile}</td><td>${r.engine}</td><td class="nowrap">${r.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</td>
  <td class="num">${r.failed}</td><td class="num">${r.warned}</td><td class="num">${ms(r.p95)}</td><td class="num">${perSec(r.throughput)}</td>
  <td class="num">${pct(r.errorRate)}</td><td class="num">${pct(r.cacheHitRatio)}</td>
  <td class="num">${r.lighthousePerformance === null ? '—' : r.lighthousePerformance.toFixed(2)}</td><td class="num">${bytes(r.initialJsGzip)}</td></tr>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Performance runs</title><style>${raw(REPORT_CSS)}</style></head>
<body><header class="top"><h1>Performance runs</h1><div class="meta"><span><b>${runs.length}</b> run${runs.length === 1 ? '' : 's'}</span></div></header>
<main>
${
  runs.length === 0
    ? html`<section><p class="empty">No runs yet: \`npm run loadtest\` writes one.</p></section>`
    : html`
${trends}
<section id="runs"><h2>Runs</h2><table><thead><tr><th>verdict</th><th>run</th><th>target</th><th>profile</th><th>engine</th><th>date</th><th class="num">failed</th><th class="num">warned</th><th class="num">p95</th><th class="num">throughput</th><th class="num">errors</th><th class="num">cache hits</th><th class="num">LH perf</th><th class="num">initial JS</th></tr></thead><tbody>${rows}</tbody></table></section>`
}
</main></body></html>
`.value;
}
