import type { MetricType } from '../metrics/index.ts';

/** Comparison operators of k6's threshold grammar. */
export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** `aggregation operator value`, e.g. p(99.9) < 200. */
export interface ThresholdExpression {
  /** count, rate, value, avg, min, max, med or p. */
  aggregation: string;
  /** The percentile for `p(N)` (0..100), else undefined. */
  percentile: number | undefined;
  operator: ThresholdOperator;
  value: number;
}

// Longer operators first: the scan takes the first one that splits the text.
const OPERATORS: readonly ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const AGGREGATIONS = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max'];
const FLOAT_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Aggregations k6 accepts per metric type. */
export const SUPPORTED_AGGREGATIONS: Record<MetricType, readonly string[]> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

/** Parses a threshold expression; returns an error reason (k6's wording) instead of throwing. */
export function parseThresholdExpression(input: string): ThresholdExpression | string {
  let found: { lhs: string; op: ThresholdOperator; rhs: string } | undefined;
  for (const op of OPERATORS) {
    const at = input.indexOf(op);
    if (at >= 0) {
      found = { lhs: input.slice(0, at).trim(), op, rhs: input.slice(at + op.length).trim() };
      break;
    }
  }
  if (found === undefined)
    return `failed parsing threshold expression "${input}"; reason: malformed threshold expression`;
  let aggregation = found.lhs;
  let percentile: number | undefined;
  if (!AGGREGATIONS.includes(aggregation)) {
    const inner = /^p\((.*)\)$/.exec(aggregation)?.[1];
    if (inner === undefined) {
      return `failed parsing threshold expression's "${input}" left hand side; reason: failed parsing method from expression`;
    }
    const lhs = `failed parsing threshold expression's "${input}" left hand side; reason: malformed percentile value`;
    if (!FLOAT_RE.test(inner.trim()))
      return `${lhs}; reason: strconv.ParseFloat: parsing ${JSON.stringify(inner)}: invalid syntax`;
    percentile = Number(inner);
    // k6 2.x (metrics/thresholds_parser.go) refuses a percentile outside 0..100; 1.x accepted p(101).
    if (percentile < 0 || percentile > 100) return `${lhs}, provide a number between 0 and 100`;
    aggregation = 'p';
  }
  if (!FLOAT_RE.test(found.rhs)) {
    return `failed parsing threshold expression's "${input}" right hand side; reason: invalid number "${found.rhs}"`;
  }
  return { aggregation, percentile, operator: found.op, value: Number(found.rhs) };
}

/** Applies the operator; == and === are the same on numbers, as in k6. */
export function compare(lhs: number, op: ThresholdOperator, rhs: number): boolean {
  switch (op) {
    case '<':
      return lhs < rhs;
    case '<=':
      return lhs <= rhs;
    case '>':
      return lhs > rhs;
    case '>=':
      return lhs >= rhs;
    case '==':
    case '===':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
  }
}
