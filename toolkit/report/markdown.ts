import { describeMachine } from '../results/machine.ts';
import type { Results } from '../results/schema.ts';
import type { Verdicts } from '../results/verdicts.ts';
import { escapeMarkdown } from './escape.ts';
import { bytes, ms, pct, perSec } from './format.ts';
import { summarizeRun } from './index-page.ts';
import { interruptedLine } from '../budgets/evaluate.ts';

const ICON: Record<Verdicts['outcome'] | 'none', string> = {
  pass: '✅ PASS',
  warn: '⚠️ PASS with warnings',
  fail: '❌ FAIL',
  interrupted: '⏹️ INTERRUPTED (partial figures, not judged)',
  none: 'not judged',
};

/** The Markdown summary (summary.md, and the GitHub step summary): outcome, problems, key figures. */
export function renderMarkdown(results: Results, verdicts: Verdicts | null, reportLink?: string): string {
  const s = summarizeRun(results, verdicts);
  const lines = [`## Performance: ${ICON[s.outcome]} · run \`${escapeMarkdown(results.meta.id)}\``, ''];
  if (verdicts) {
    const c = verdicts.counts;
    lines.push(
      `${c.pass} passed, ${c.warn} warned, ${c.fail} failed, ${c.skip} skipped (${verdicts.budgets.map(escapeMarkdown).join(', ')}${verdicts.baseline ? `; baseline ${escapeMarkdown(verdicts.baseline)}` : ''}).`,
      '',
    );
    const stopped = interruptedLine(verdicts);
    if (stopped) lines.push(escapeMarkdown(stopped), '');
    for (const w of verdicts.measurementWarnings ?? []) lines.push(`⚠️ measurement: ${escapeMarkdown(w)}`, '');
    const bad = verdicts.verdicts
      .filter((v) => v.status === 'fail' || v.status === 'warn')
      .sort((a, b) => (a.status === b.status ? 0 : a.status === 'fail' ? -1 : 1));
    if (bad.length > 0) {
      lines.push('| | budget entry |', '|---|---|');
      for (const v of bad.slice(0, 50))
        lines.push(`| ${v.status === 'fail' ? '❌' : '⚠️'} | ${escapeMarkdown(v.message)} |`);
      if (bad.length > 50) lines.push(`| | … ${bad.length - 50} more in the report |`);
      lines.push('');
    }
  }
  lines.push(
    '| figure | value |',
    '|---|---|',
    `| p95 response time | ${ms(s.p95)} |`,
    `| throughput | ${perSec(s.throughput)} |`,
    `| error rate | ${pct(s.errorRate)} |`,
    `| cache hit ratio | ${pct(s.cacheHitRatio)} |`,
    `| Lighthouse performance score (0–1, median) | ${s.lighthousePerformance === null ? '—' : s.lighthousePerformance.toFixed(2)} |`,
    `| initial JS (gzip) | ${bytes(s.initialJsGzip)} |`,
    '',
  );
  const machine = results.meta.machine;
  if (machine) lines.push(`Machine: ${escapeMarkdown(describeMachine(machine))}`, '');
  if (reportLink) lines.push(`Report: ${escapeMarkdown(reportLink)}`, '');
  return lines.join('\n');
}
