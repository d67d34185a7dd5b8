/**
 * What noise does to a verdict: an absolute check whose confidence interval
 * straddles the limit is inconclusive; a regression is called only when it is
 * beyond the tolerance and the one-sided Mann–Whitney U test of the run's
 * observations against the baseline's is significant.
 */
import { rankTest } from '../stats/index.ts';
import type { Verdict } from '../results/verdicts.ts';
import type { BudgetCheck, Measurement } from './checks.ts';
import { OPERATORS, type Operator } from './operators.ts';
import { formatQuantity } from './units.ts';

type Interval = NonNullable<Measurement['interval']>;

/** True when the interval has values on both sides of the limit (a point interval never does). */
export function straddles(operator: Operator, limit: number, interval: Interval | undefined): boolean {
  if (!interval || interval.lo === interval.hi || operator === '==') return false;
  const test = OPERATORS[operator].test;
  return test(interval.lo, limit) !== test(interval.hi, limit);
}

/** `0.88 (0.84–0.93 over 5 runs)`, or the value alone without an interval. */
export function valueWithInterval(value: number, interval: Interval | undefined, c: Pick<BudgetCheck, 'kind'>): string {
  const fmt = (v: number): string => formatQuantity(v, c.kind);
  if (!interval || interval.n < 2) return fmt(value);
  return `${fmt(value)} (${fmt(interval.lo)}–${fmt(interval.hi)} over ${interval.n} ${interval.unit})`;
}

/** The rank test of a regression check, or undefined when either side has no observations. */
export function significanceOf(
  c: BudgetCheck,
  current: Measurement,
  baseline: Measurement | undefined,
): NonNullable<Verdict['significance']> | undefined {
  if (!current.samples?.length || !baseline?.samples?.length) return undefined;
  const test = rankTest(current.samples, baseline.samples);
  if (!test) return undefined;
  const worseIsLower = OPERATORS[c.operator].worse === 'lower';
  const p = worseIsLower ? test.pLess : test.pGreater;
  return {
    test: 'mann-whitney-u',
    p,
    alpha: c.alpha,
    // The effect: the probability that an observation of this run is worse than one of the baseline.
    probabilityWorse: worseIsLower ? 1 - test.superiority : test.superiority,
    nCurrent: test.nCurrent,
    nBaseline: test.nBaseline,
    significant: p <= c.alpha,
  };
}

/** `Mann–Whitney p = 0.003, P(worse) = 0.81, 5 vs 5 runs` for the verdict line. */
export function significanceText(s: NonNullable<Verdict['significance']>, unit: string): string {
  const p = s.p < 0.001 ? s.p.toExponential(1) : s.p.toFixed(3);
  return `Mann–Whitney p = ${p}, P(worse) = ${s.probabilityWorse.toFixed(2)}, ${s.nCurrent} vs ${s.nBaseline} ${unit}`;
}
