import type { Results } from '../results/schema.ts';
import type { Verdict, Verdicts, VerdictStatus } from '../results/verdicts.ts';
import type { BudgetCheck, Measurement } from './checks.ts';
import type { LoadedBudget } from './load.ts';
import { OPERATORS } from './operators.ts';
import { formatDelta, formatQuantity } from './units.ts';
import { significanceOf, significanceText, straddles, valueWithInterval } from './noise.ts';

/** Options of one evaluation. */
export interface EvaluateOptions {
  /** A previous run to compare against (regressions beyond each entry's tolerance fail). */
  baseline?: Results;
  /** Name of the baseline file, for verdicts.json. */
  baselineSource?: string;
  /** Parts the run was told not to measure (budget JSON pointer prefix → why, e.g. '/frontend/lighthouse' → '--no-lighthouse'): their entries are skipped, not failed. */
  skipped?: Record<string, string>;
  /** Parts that failed in this run (prefix → their error): their unmeasured entries fail with `error: part failed (…)`. */
  failed?: Record<string, string>;
}

const failStatus = (c: BudgetCheck): VerdictStatus => (c.level === 'error' ? 'fail' : 'warn');

function head(source: string, c: BudgetCheck, subject: string | undefined): string {
  return `${source}#${c.pointer}${subject ? ` (${subject})` : ''}`;
}

function base(
  source: string,
  c: BudgetCheck,
  m: Measurement | undefined,
  check: Verdict['check'],
): Omit<Verdict, 'status' | 'message' | 'limit' | 'baseline' | 'notMeasured' | 'operator'> {
  const v = {
    source,
    pointer: c.pointer,
    label: c.label,
    check,
    level: c.level,
    kind: c.kind,
    actual: m?.value ?? null,
  };
  return m?.subject === undefined ? v : { ...v, subject: m.subject };
}

function notMeasured(source: string, c: BudgetCheck, m: Measurement | undefined): Verdict {
  const status: VerdictStatus = c.optional ? 'skip' : failStatus(c);
  const tail = c.optional ? ' (optional: skipped)' : '';
  return {
    ...base(source, c, m, c.limit === null ? 'regression' : 'absolute'),
    operator: c.operator,
    limit: c.limit,
    baseline: null,
    notMeasured: true,
    status,
    message: `${head(source, c, m?.subject)}: not measured: the results have no ${c.label}${tail}`,
  };
}

function absolute(
  source: string,
  c: BudgetCheck,
  m: Measurement & { value: number },
  baseValue: number | null,
): Verdict {
  const limit = c.limit ?? 0;
  const ok = OPERATORS[c.operator].test(m.value, limit);
  const fmt = (v: number) => formatQuantity(v, c.kind);
  const found = valueWithInterval(m.value, m.interval, c);
  const extra = [
    formatDelta(m.value - limit, c.kind),
    ...(baseValue === null ? [] : [`baseline ${fmt(baseValue)}`]),
  ].join(', ');
  const verdict: Verdict = {
    ...base(source, c, m, 'absolute'),
    operator: c.operator,
    limit,
    baseline: baseValue,
    notMeasured: false,
    status: ok ? 'pass' : failStatus(c),
    ...(m.interval ? { interval: m.interval } : {}),
    message: `${head(source, c, m.subject)}: expected ${c.operator} ${fmt(limit)}, found ${found} (${extra})`,
  };
  if (!straddles(c.operator, limit, m.interval)) return verdict;
  // The interval has values on both sides of the limit: the run cannot tell pass from fail.
  return {
    ...verdict,
    inconclusive: true,
    status: c.inconclusive === 'error' ? 'fail' : 'warn',
    message: `${head(source, c, m.subject)}: inconclusive: ${found} vs ${c.operator} ${fmt(limit)}`,
  };
}

/** The worst value still accepted: baseline moved by the tolerance in the direction that is worse for this entry. */
function allowedFrom(c: BudgetCheck, baseValue: number): number {
  const t = c.tolerance;
  if (t === null) return baseValue;
  const amount = 'relative' in t ? Math.abs(baseValue) * t.relative : t.absolute;
  return OPERATORS[c.operator].worse === 'lower' ? baseValue - amount : baseValue + amount;
}

function regression(
  source: string,
  c: BudgetCheck,
  m: Measurement & { value: number },
  baseM: Measurement & { value: number },
): Verdict {
  const baseValue = baseM.value;
  const allowed = allowedFrom(c, baseValue);
  const lower = OPERATORS[c.operator].worse === 'lower';
  const op = lower ? '>=' : '<=';
  const beyond = !(lower ? m.value >= allowed : m.value <= allowed);
  const fmt = (v: number) => formatQuantity(v, c.kind);
  const pct = baseValue !== 0 ? `, ${formatDelta((m.value - baseValue) / Math.abs(baseValue), 'ratio')}` : '';
  const significance = significanceOf(c, m, baseM);
  const unit = m.interval?.unit ?? 'observations';
  // Beyond the tolerance is a regression only when the rank test says the run is really worse.
  const regressed = beyond && (significance?.significant ?? true);
  const judged = significance
    ? `; ${significanceText(significance, unit)}${beyond && !significance.significant ? ': not significant, no regression' : ''}`
    : beyond
      ? '; significance not tested: no observations kept'
      : '';
  return {
    ...base(source, c, m, 'regression'),
    level: c.regressionLevel,
    operator: op,
    limit: allowed,
    baseline: baseValue,
    notMeasured: false,
    status: regressed ? (c.regressionLevel === 'error' ? 'fail' : 'warn') : 'pass',
    ...(significance ? { significance } : {}),
    message: `${head(source, c, m.subject)}: regression check: expected ${op} ${fmt(allowed)} (baseline ${fmt(baseValue)} ${c.toleranceText ?? ''}), found ${fmt(m.value)} (${formatDelta(m.value - baseValue, c.kind)}${pct} vs baseline${judged})`,
  };
}

function judge(
  source: string,
  c: BudgetCheck,
  results: Results,
  baseline: Results | undefined,
  skipped: Record<string, string>,
  failed: Record<string, string> = {},
): Verdict[] {
  const measured = c.measure(results);
  const under = (parts: Record<string, string>): string | undefined =>
    Object.entries(parts).find(([prefix]) => c.pointer === prefix || c.pointer.startsWith(`${prefix}/`))?.[1];
  const failedBy = under(failed);
  if (failedBy !== undefined && !measured?.some((m) => m.value !== null)) {
    return [
      {
        ...notMeasured(source, c, undefined),
        status: 'fail',
        message: `${head(source, c, undefined)}: error: part failed (${failedBy})`,
      },
    ];
  }
  const skippedBy = under(skipped);
  if (skippedBy !== undefined && !measured?.some((m) => m.value !== null)) {
    return [
      {
        ...notMeasured(source, c, undefined),
        status: 'skip',
        message: `${head(source, c, undefined)}: not measured in this run (${skippedBy})`,
      },
    ];
  }
  if (!measured || measured.length === 0) return [notMeasured(source, c, undefined)];
  const baseList = baseline ? c.measure(baseline) : undefined;
  const out: Verdict[] = [];
  for (const m of measured) {
    if (m.value === null) {
      out.push(notMeasured(source, c, m));
      continue;
    }
    const value = m.value;
    const baseM = baseList?.find((b) => b.subject === m.subject);
    const baseValue = baseM?.value ?? null;
    if (c.limit !== null) out.push(absolute(source, c, { ...m, value }, baseValue));
    if (baseline && c.tolerance !== null && c.operator !== '==') {
      if (baseM && baseValue !== null) out.push(regression(source, c, { ...m, value }, { ...baseM, value: baseValue }));
      else if (c.limit === null)
        out.push({
          ...notMeasured(source, c, m),
          status: 'skip',
          message: `${head(source, c, m.subject)}: no baseline value for ${c.label}; nothing to compare`,
        });
    }
  }
  return out;
}

/** Overall outcome and counts of a list of verdicts. */
export function summarize(verdicts: Verdict[]): Pick<Verdicts, 'outcome' | 'counts'> {
  const counts: Verdicts['counts'] = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const v of verdicts) counts[v.status] += 1;
  return { outcome: counts.fail > 0 ? 'fail' : counts.warn > 0 ? 'warn' : 'pass', counts };
}

/**
 * Judges a run's results against budgets (pure: no I/O, no clock). Each entry
 * gives an absolute verdict against its limit and, with a baseline and a
 * tolerance, a regression verdict; a missing measurement is "not measured".
 */
export function evaluateBudget(
  results: Results,
  budgets: LoadedBudget | LoadedBudget[],
  options: EvaluateOptions = {},
): Verdicts {
  const list = Array.isArray(budgets) ? budgets : [budgets];
  const verdicts = list.flatMap((b) =>
    b.checks.flatMap((c) => judge(b.source, c, results, options.baseline, options.skipped ?? {}, options.failed)),
  );
  const summary = summarize(verdicts);
  const { interruption } = results.meta;
  // An interrupted run's figures are partial: its verdicts are listed, the outcome is neither pass nor fail.
  const stopped = results.meta.status === 'interrupted';
  return {
    schemaVersion: 1,
    budgets: list.map((b) => b.source),
    baseline: options.baseline ? (options.baselineSource ?? 'baseline') : null,
    ...summary,
    ...(stopped
      ? {
          outcome: 'interrupted' as const,
          interrupted: interruption ?? { signal: 'SIGINT', scenario: null, stage: 'unknown' },
        }
      : {}),
    verdicts,
  };
}

/** Exit code for verdicts: 1 when an error-level entry failed, 130/143 for a run a SIGINT/SIGTERM stopped, else 0 (warnings allowed). */
export const exitCodeOf = (v: Verdicts): number =>
  v.outcome === 'interrupted' ? (v.interrupted?.signal === 'SIGTERM' ? 143 : 130) : v.outcome === 'fail' ? 1 : 0;

/** The one line that says why an interrupted run has no pass/fail outcome. */
export function interruptedLine(v: Verdicts): string | undefined {
  const i = v.interrupted;
  if (v.outcome !== 'interrupted' || !i) return undefined;
  const what = i.scenario ? `scenario ${i.scenario}` : i.stage;
  return `INTERRUPTED by ${i.signal} during ${what}: the figures are partial, so the run is neither passed nor failed`;
}
