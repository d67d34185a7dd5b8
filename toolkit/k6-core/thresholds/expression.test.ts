import { describe, expect, it } from 'vitest';
import { compare, parseThresholdExpression, type ThresholdOperator } from './expression.ts';

describe('threshold expression grammar', () => {
  it.each([
    ['count==60', 'count', undefined, '==', 60],
    ['rate>0', 'rate', undefined, '>', 0],
    ['value>=0', 'value', undefined, '>=', 0],
    ['avg>10', 'avg', undefined, '>', 10],
    ['min>10', 'min', undefined, '>', 10],
    ['max<10000', 'max', undefined, '<', 10000],
    ['med>10', 'med', undefined, '>', 10],
    ['p(95)<200', 'p', 95, '<', 200],
    ['p(99.9)<10000', 'p', 99.9, '<', 10000],
    ['p(0)>=0.5', 'p', 0, '>=', 0.5],
    ['p(100)<9', 'p', 100, '<', 9],
    ['p(95) < 300', 'p', 95, '<', 300],
    ['  rate  <=  0.01 ', 'rate', undefined, '<=', 0.01],
    ['count===40', 'count', undefined, '===', 40],
    ['rate!=0', 'rate', undefined, '!=', 0],
  ])('parses %s', (source, aggregation, percentile, operator, value) => {
    expect(parseThresholdExpression(source)).toEqual({ aggregation, percentile, operator, value });
  });

  it.each([
    ['p(95)', 'malformed threshold expression'],
    ['p95<200', 'left hand side'],
    ['p(abc)<200', 'malformed percentile value; reason: strconv.ParseFloat: parsing "abc": invalid syntax'],
    ['p(101)<5000', 'malformed percentile value, provide a number between 0 and 100'],
    ['p(-1)<5000', 'malformed percentile value, provide a number between 0 and 100'],
    ['average<200', 'failed parsing method'],
    ['p(95)<', 'right hand side'],
    ['p(95)<2oo', 'right hand side'],
    ['', 'malformed threshold expression'],
  ])('rejects %j', (source, reason) => {
    const parsed = parseThresholdExpression(source);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(reason);
    expect(parsed).toContain(`"${source}"`);
  });

  it.each<[number, ThresholdOperator, number, boolean]>([
    [1, '<', 2, true],
    [2, '<', 2, false],
    [2, '<=', 2, true],
    [3, '<=', 2, false],
    [3, '>', 2, true],
    [2, '>', 2, false],
    [2, '>=', 2, true],
    [1, '>=', 2, false],
    [2, '==', 2, true],
    [2.5, '==', 2, false],
    [2, '===', 2, true],
    [1, '===', 2, false],
    [1, '!=', 2, true],
    [2, '!=', 2, false],
  ])('%d %s %d is %s', (lhs, op, rhs, expected) => {
    expect(compare(lhs, op, rhs)).toBe(expected);
  });

  it('NaN never satisfies an ordering', () => {
    expect(compare(Number.NaN, '<', 1)).toBe(false);
    expect(compare(Number.NaN, '>=', 1)).toBe(false);
  });
});
