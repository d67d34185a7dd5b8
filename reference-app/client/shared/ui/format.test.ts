import { describe, expect, it } from 'vitest';
import { formatClock, formatRate, formatValue, prepareFormatters } from './format.ts';

describe('formatters made once and reused', () => {
  it('formats the clock as toLocaleTimeString does', () => {
    for (const t of [0, Date.UTC(2024, 0, 1, 9, 5), Date.UTC(2024, 6, 1, 23, 59), 1_717_171_717_171]) {
      expect(formatClock(t)).toBe(new Date(t).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' }));
    }
  });

  it('formats rates to five significant digits', () => {
    expect([0.923456, 156.789, 1].map(formatRate)).toEqual(['0.92346', '156.79', '1']);
  });

  it('gives the same text for every unit whether or not the formatters were prepared, and on reuse', () => {
    const cases: [number, string, boolean?][] = [
      [1234.5, 'USD'],
      [12_345.5, 'USD'],
      [1234.5, 'EUR'],
      [98_765, 'JPY'],
      [0.1234, 'ratio'],
      [12.345, '%'],
      [87, 'count'],
      [123_456, 'count'],
      [1530, 'users'],
      [1530, 'users', true],
    ];
    const first = cases.map(([v, u, bare]) => formatValue(v, u, bare));
    prepareFormatters();
    expect(cases.map(([v, u, bare]) => formatValue(v, u, bare))).toEqual(first);
    expect(first).toEqual([
      '$1,234.50',
      '$12.35K',
      '€1,234.50',
      '¥98.77K',
      '12.34%',
      '12.35%',
      '87',
      '123.5K',
      '1,530 users',
      '1,530',
    ]);
  });
});
