import type { Results } from '../results/schema.ts';
import { html, type SafeHtml } from './escape.ts';
import { count, pct, section } from './format.ts';

type Check = NonNullable<Results['api']>['checks'][number];
type Threshold = NonNullable<Results['api']>['thresholds'][number];

/** `smoke::group a::name` → scenario `smoke`, group `group a` (k6's path joins with ::). */
function groupOf(c: Check): { scenario: string; group: string } {
  const parts = c.path.split('::');
  const scenario = parts.length > 1 ? (parts[0] ?? '') : '';
  return { scenario: scenario || '(default)', group: parts.slice(1, -1).filter(Boolean).join(' › ') || '(no group)' };
}

/** Checks by scenario and group: groups with a failure first and open, all-pass groups one line each. */
function checksTable(checks: Check[]): SafeHtml {
  const groups = new Map<string, { scenario: string; group: string; checks: Check[] }>();
  for (const c of checks) {
    const g = groupOf(c);
    const key = `${g.scenario}\u0000${g.group}`;
    if (!groups.has(key)) groups.set(key, { ...g, checks: [] });
    groups.get(key)?.checks.push(c);
  }
  const failing = (g: { checks: Check[] }): number => g.checks.filter((c) => c.fails > 0).length;
  const sorted = [...groups.values()].sort((a, b) => failing(b) - failing(a));
  const rows = sorted.map((g) => {
    const passes = g.checks.reduce((s, c) => s + c.passes, 0);
    const fails = g.checks.reduce((s, c) => s + c.fails, 0);
    const title = html`<b>${g.scenario}</b> › ${g.group}`;
    if (fails === 0)
      return html`<tr class="group-pass"><td><span class="badge pass">OK</span></td><td>${title} <span class="muted">· all ${g.checks.length} checks passed</span></td><td class="num">${count(passes)}</td><td class="num">0</td><td class="num">${pct(1)}</td></tr>`;
    const inner = [...g.checks].sort((a, b) => b.fails - a.fails);
    return html`<tr class="group-fail"><td><span class="badge fail">FAIL</span></td><td>${title} <span class="muted">· ${failing(g)} of ${g.checks.length} checks failed</span></td><td class="num">${count(passes)}</td><td class="num">${count(fails)}</td><td class="num">${pct(passes / Math.max(1, passes + fails))}</td></tr>
${inner.map((c) => html`<tr class="check-row"><td><span class="badge ${c.fails === 0 ? 'pass' : 'fail'}">${c.fails === 0 ? 'OK' : 'FAIL'}</span></td><td class="indent long" title="${c.name}">${c.name}<div class="ptr mono">${c.path}</div></td><td class="num">${count(c.passes)}</td><td class="num">${count(c.fails)}</td><td class="num">${pct(c.passes / Math.max(1, c.passes + c.fails))}</td></tr>`)}`;
  });
  return html`<h3>Checks</h3><table class="checks"><thead><tr><th></th><th>scenario › group</th><th class="num">passes</th><th class="num">fails</th><th class="num">pass rate</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The headroom left (positive) or the overshoot (negative), in the metric's own terms. */
function margin(t: Threshold): string {
  if (t.value === undefined || t.limit === undefined) return '—';
  const op = /(<=|>=|==|===|!=|<|>)/.exec(t.expression)?.[1] ?? '';
  const diff = op.startsWith('<')
    ? t.limit - t.value
    : op.startsWith('>')
      ? t.value - t.limit
      : -Math.abs(t.value - t.limit);
  const trend = /^p\(|^avg|^min|^max|^med/.test(t.expression);
  const rate = /^rate/.test(t.expression);
  const shown = trend ? `${diff.toFixed(1)} ms` : rate ? `${(diff * 100).toFixed(2)} pt` : diff.toFixed(2);
  return t.limit !== 0 && (trend || !rate) ? `${shown} (${((diff / Math.abs(t.limit)) * 100).toFixed(0)}%)` : shown;
}

const measured = (t: Threshold): string =>
  t.value === undefined
    ? '—'
    : /^p\(|^avg|^min|^max|^med/.test(t.expression)
      ? `${t.value.toFixed(1)} ms`
      : /^rate/.test(t.expression)
        ? pct(t.value)
        : String(Math.round(t.value * 100) / 100);

/** k6 checks and scenario thresholds (with measured value, limit and margin), failures first. */
export function checksSection(r: Results): SafeHtml {
  const checks = r.api?.checks ?? [];
  const thresholds = [...(r.api?.thresholds ?? [])].sort((a, b) => Number(a.ok) - Number(b.ok));
  if (checks.length === 0 && thresholds.length === 0) return section('checks', 'Checks and thresholds', null);
  const body = html`${checks.length > 0 ? checksTable(checks) : html`<p class="empty">No checks ran.</p>`}
${
  thresholds.length > 0
    ? html`<h3>Scenario thresholds</h3><table class="thresholds"><thead><tr><th></th><th>metric</th><th>threshold</th><th class="num">measured</th><th class="num">limit</th><th class="num">margin</th></tr></thead><tbody>
${thresholds.map((t) => html`<tr><td><span class="badge ${t.ok ? 'pass' : 'fail'}">${t.ok ? 'OK' : 'FAIL'}</span></td><td><code>${t.metric}</code></td><td><code>${t.expression}</code></td><td class="num">${measured(t)}</td><td class="num">${t.limit ?? '—'}</td><td class="num">${margin(t)}</td></tr>`)}
</tbody></table>`
    : html`<p class="empty">No thresholds were defined.</p>`
}`;
  return section('checks', 'Checks and thresholds', body);
}
