import type { Results } from '../results/schema.ts';
import type { QuantityKind } from '../results/verdicts.ts';
import { escapePointer } from '../results/validate.ts';
import { isOperator, type Operator } from './operators.ts';
import type { BudgetEntry } from './schema.ts';
import { parseQuantity, parseTolerance, type Tolerance } from './units.ts';

/** One measured value; `subject` tells several apart (e.g. Lighthouse page · preset · mode). */
export interface Measurement {
  subject?: string;
  value: number | null;
  /** The value's confidence interval (API percentiles from the requests, Lighthouse medians from the runs). */
  interval?: { lo: number; hi: number; n: number; unit: 'requests' | 'runs' };
  /** The observations behind the value, as [value, count] pairs, for the rank test against a baseline. */
  samples?: ReadonlyArray<readonly [number, number]>;
}

/** Reads the values a budget entry judges from a run's results; undefined when the run did not measure them. */
export type Measure = (results: Results) => Measurement[] | undefined;

/** A budget entry as written, before its limit is parsed. */
export interface CheckSpec {
  pointer: string;
  label: string;
  kind: QuantityKind;
  /** Operator used when the limit does not write one (and the direction of a regression). */
  operator: Operator;
  entry: BudgetEntry;
  measure: Measure;
}

/** A budget entry ready to judge: parsed limit, level, tolerance. */
export interface BudgetCheck {
  pointer: string;
  label: string;
  kind: QuantityKind;
  operator: Operator;
  limit: number | null;
  level: 'warn' | 'error';
  tolerance: Tolerance | null;
  toleranceText: string | null;
  optional: boolean;
  /** How an inconclusive verdict counts. */
  inconclusive: 'warn' | 'error';
  /** Level of this entry's regression verdict. */
  regressionLevel: 'warn' | 'error';
  /** Significance level of the regression's rank test. */
  alpha: number;
  note?: string;
  measure: Measure;
}

/** A budget problem found after schema validation (wrong unit for the entry's kind, …). */
export interface BudgetProblem {
  pointer: string;
  message: string;
}

/** Budget-wide defaults. */
export interface CheckDefaults {
  level: 'warn' | 'error';
  tolerance: string | undefined;
  /** defaults.inconclusive (warn when absent). */
  inconclusive?: 'warn' | 'error' | undefined;
  /** regressions.level (each entry's level when absent). */
  regressionLevel?: 'warn' | 'error' | undefined;
  /** regressions.alpha (0.05 when absent). */
  alpha?: number | undefined;
}

/** JSON pointer from path segments. */
export const pointerOf = (...segments: string[]): string => segments.map((s) => '/' + escapePointer(s)).join('');

/** Parses one written entry into a check, or reports where and why it does not fit its kind. */
export function parseCheck(spec: CheckSpec, defaults: CheckDefaults): BudgetCheck | BudgetProblem {
  const e = spec.entry;
  const obj = typeof e === 'object' ? e : { limit: e };
  let operator = spec.operator;
  let limit: number | null = null;
  if (obj.limit !== undefined) {
    const parsed = parseQuantity(obj.limit, spec.kind);
    const at = typeof e === 'object' ? `${spec.pointer}/limit` : spec.pointer;
    if ('error' in parsed) return { pointer: at, message: parsed.error };
    if (parsed.operator !== undefined && isOperator(parsed.operator)) operator = parsed.operator;
    limit = parsed.value;
  }
  // A budget-wide tolerance only fits durations and sizes: relative changes of
  // near-zero error rates or of scores are noise, so those need their own.
  const inherits = spec.kind === 'duration' || spec.kind === 'size';
  const toleranceText = obj.tolerance ?? (inherits ? defaults.tolerance : undefined) ?? null;
  let tolerance: Tolerance | null = null;
  if (toleranceText !== null) {
    const parsed = parseTolerance(toleranceText, spec.kind);
    if ('error' in parsed)
      return { pointer: obj.tolerance ? `${spec.pointer}/tolerance` : '/defaults/tolerance', message: parsed.error };
    tolerance = parsed;
  }
  if (limit === null && obj.tolerance === undefined) {
    return { pointer: spec.pointer, message: 'expected a limit, or a tolerance to compare against a baseline' };
  }
  const check: BudgetCheck = {
    pointer: spec.pointer,
    label: spec.label,
    kind: spec.kind,
    operator,
    limit,
    level: obj.level ?? defaults.level,
    tolerance,
    toleranceText,
    optional: obj.optional ?? false,
    inconclusive: obj.inconclusive ?? defaults.inconclusive ?? 'warn',
    regressionLevel: defaults.regressionLevel ?? obj.level ?? defaults.level,
    alpha: defaults.alpha ?? 0.05,
    measure: spec.measure,
  };
  if (obj.note !== undefined) check.note = obj.note;
  return check;
}

/** Parses every spec; returns the checks or every problem found. */
export function parseChecks(
  specs: CheckSpec[],
  defaults: CheckDefaults,
): { checks: BudgetCheck[]; problems: BudgetProblem[] } {
  const checks: BudgetCheck[] = [];
  const problems: BudgetProblem[] = [];
  for (const spec of specs) {
    const c = parseCheck(spec, defaults);
    if ('message' in c) problems.push(c);
    else checks.push(c);
  }
  return { checks, problems };
}

/** A single value as a measurement list; null/undefined mean "not measured". */
export const one = (value: number | null | undefined): Measurement[] | undefined =>
  value === undefined || value === null ? undefined : [{ value }];
