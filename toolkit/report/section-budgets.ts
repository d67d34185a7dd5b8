import type { Verdict, Verdicts } from '../results/verdicts.ts';
import { html, type SafeHtml } from './escape.ts';
import { fmt, section } from './format.ts';
import { interruptedLine } from '../budgets/evaluate.ts';

const ORDER: Record<Verdict['status'], number> = { fail: 0, warn: 1, skip: 2, pass: 3 };
const WORD: Record<Verdicts['outcome'], string> = {
  pass: 'PASS',
  warn: 'PASS WITH WARNINGS',
  fail: 'FAIL',
  interrupted: 'INTERRUPTED',
};

/** The banner at the top: overall outcome, counts and the first failing lines. */
export function verdictBanner(v: Verdicts | null): SafeHtml {
  if (v === null)
    return html`<div class="verdict none" id="verdict"><div class="word">NOT JUDGED</div><div>No budget was evaluated for this run.</div></div>`;
  const bad = v.verdicts
    .filter((x) => x.status === 'fail' || x.status === 'warn')
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  return html`<div class="verdict ${v.outcome}" id="verdict">
  <div class="word">${WORD[v.outcome]}</div>
  <div><div class="counts"><span>${v.counts.pass} passed</span><span>${v.counts.warn} warned</span><span>${v.counts.fail} failed</span><span>${v.counts.skip} skipped</span></div>
  ${v.interrupted ? html`<div class="why">${interruptedLine(v) ?? ''}</div>` : ''}
  <div class="why">${bad.length === 0 ? `All budget entries of ${v.budgets.join(', ')} hold.` : html`${bad.slice(0, 3).map((x) => html`<div class="mono">${x.message}</div>`)}${bad.length > 3 ? html`<div>… and ${bad.length - 3} more below</div>` : ''}`}</div></div>
</div>`;
}

/** True only when the verdicts say a change against the baseline is statistically significant. */
const significant = (x: Verdict): boolean =>
  (x as Verdict & { significance?: { significant?: boolean } }).significance?.significant === true;

/** The change against the baseline, absolute and relative; coloured only when significant. */
function delta(x: Verdict): SafeHtml {
  if (x.baseline === null || x.actual === null || x.notMeasured) return html`<td class="num"></td>`;
  const d = x.actual - x.baseline;
  const rel = x.baseline !== 0 ? ` (${d >= 0 ? '+' : '−'}${Math.abs((d / x.baseline) * 100).toFixed(1)}%)` : '';
  const cls = significant(x) ? ' significant' : '';
  return html`<td class="num"><span class="delta${cls}" data-delta>${d >= 0 ? '+' : '−'}${fmt(Math.abs(d), x.kind)}${rel}</span></td>`;
}

function row(x: Verdict): SafeHtml {
  const limit = x.limit === null ? '—' : `${x.operator} ${fmt(x.limit, x.kind)}`;
  return html`<tr class="v-${x.status}">
  <td><span class="badge ${x.status}">${x.status.toUpperCase()}</span></td>
  <td>${x.label}${x.subject ? html` <span class="muted">(${x.subject})</span>` : ''}${x.check === 'regression' ? html` <span class="muted">vs baseline</span>` : ''}<div class="ptr mono">${x.source}#${x.pointer}</div></td>
  <td class="num">${x.notMeasured ? 'not measured' : fmt(x.actual, x.kind)}</td>
  <td class="num">${limit}</td>
  <td class="num">${fmt(x.baseline, x.kind)}</td>
  ${delta(x)}
  <td>${x.level}</td>
</tr>`;
}

const HEAD = html`<thead><tr><th>status</th><th>entry</th><th class="num">measured</th><th class="num">limit</th><th class="num">baseline</th><th class="num">change</th><th>level</th></tr></thead>`;

/** Every verdict: measured vs limit vs baseline; problems first, passing entries folded away. */
export function budgetSection(v: Verdicts | null): SafeHtml {
  if (v === null || v.verdicts.length === 0)
    return section('budgets', 'Budgets', null, 'No budget entries were evaluated.');
  const sorted = [...v.verdicts].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const open = sorted.filter((x) => x.status !== 'pass');
  const passed = sorted.filter((x) => x.status === 'pass');
  const body = html`<p class="muted">Budgets: ${v.budgets.join(', ')}${v.baseline ? html` · baseline: <span class="mono">${v.baseline}</span>` : ''}</p>
${open.length > 0 ? html`<table class="budget-table">${HEAD}<tbody>${open.map(row)}</tbody></table>` : html`<p>Every entry passed.</p>`}
${passed.length > 0 ? html`<details${open.length === 0 ? html` open` : ''}><summary>${passed.length} passing entr${passed.length === 1 ? 'y' : 'ies'}</summary><table class="budget-table">${HEAD}<tbody>${passed.map(row)}</tbody></table></details>` : ''}`;
  return section('budgets', 'Budgets', body);
}
