import { describe, expect, it } from 'vitest';
import { formatClock, formatRate, formatValue } from './format.ts';

describe('formatters', () => {
  it('formats the clock as toLocaleTimeString does, every hour of the day', () => {
    const hours = Array.from({ length: 24 }, (_, h) => Date.UTC(2024, 0, 1, h, h * 2));
    for (const t of [0, Date.UTC(2024, 0, 1, 9, 5), Date.UTC(2024, 6, 1, 23, 59), 1_717_171_717_171, ...hours]) {
      expect(formatClock(t)).toBe(new Date(t).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' }));
    }
  });

  it('formats rates to five significant digits', () => {
    expect([0.923456, 156.789, 1].map(formatRate)).toEqual(['0.92346', '156.79', '1']);
  });

  it('gives the same text for every unit, first time and on reuse, with Intl where number-text has no answer', () => {
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
      [1234.5, 'CHF'],
      [1e21, 'count'],
    ];
    const first = cases.map(([v, u, bare]) => formatValue(v, u, bare));
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
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'CHF', maximumFractionDigits: 2 }).format(1234.5),
      new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(1e21),
    ]);
  });
});
