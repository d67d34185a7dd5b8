import { describe, expect, it } from 'vitest';
import { formatCompact, formatCurrency, formatFixed, formatSignificant } from './number-text.ts';

/** Values of every magnitude the cards show: random, halves at each digit, round numbers, boundaries, negatives. */
function values(): number[] {
  let seed = 7;
  const random = (): number => ((seed = (seed * 48_271) % 2_147_483_647) - 1) / 2_147_483_646;
  const out = [0, -0, 1, 0.5, 1.005, 2.675, 0.125, 0.001, -0.001, 999.95, 999_950, 999_949, 1000, 9999.5, 10_000];
  out.push(
    99_999.95,
    999_999.5,
    1e6,
    1.5e9,
    999_950_000,
    12_345.5,
    98_765,
    0.923456,
    156.789,
    1e14,
    999_999_999_999_990,
  );
  for (let e = -6; e <= 14; e++) {
    for (let i = 0; i < 40; i++) {
      const v = (random() * 10 + 1) * 10 ** e;
      out.push(v, -v, Math.round(v), Math.round(v * 1000) / 1000, Math.floor(v * 100) / 100 + 0.005);
    }
  }
  return out;
}

const intl = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat('en-US', options);

/** Each value's text from ours and from Intl, only where they differ (ours undefined: handed to Intl, not compared). */
function differences(ours: (v: number) => string | undefined, reference: Intl.NumberFormat): string[] {
  let compared = 0;
  const found = values().flatMap((v) => {
    const mine = ours(v);
    if (mine === undefined) return [];
    compared += 1;
    const theirs = reference.format(v);
    return mine === theirs ? [] : [`${v}: ${mine} vs ${theirs}`];
  });
  expect(compared).toBeGreaterThan(4000);
  return found;
}

describe('en-US number text without Intl', () => {
  it('matches Intl.NumberFormat with fraction digits', () => {
    expect(differences((v) => formatFixed(v, 2), intl({ maximumFractionDigits: 2 }))).toEqual([]);
    expect(differences((v) => formatFixed(v, 1), intl({ maximumFractionDigits: 1 }))).toEqual([]);
    expect(differences((v) => formatFixed(v, 0), intl({ maximumFractionDigits: 0 }))).toEqual([]);
    expect(
      differences((v) => formatFixed(v, 2, 2), intl({ minimumFractionDigits: 2, maximumFractionDigits: 2 })),
    ).toEqual([]);
  });

  it('matches Intl.NumberFormat with significant digits', () => {
    expect(differences((v) => formatSignificant(v, 5), intl({ maximumSignificantDigits: 5 }))).toEqual([]);
    expect(differences((v) => formatSignificant(v, 2), intl({ maximumSignificantDigits: 2 }))).toEqual([]);
  });

  it('matches Intl.NumberFormat in compact notation, K to T', () => {
    const compact = (maximumFractionDigits: number) => intl({ notation: 'compact', maximumFractionDigits });
    expect(differences((v) => formatCompact(v, 1), compact(1))).toEqual([]);
    expect(differences((v) => formatCompact(v, 2), compact(2))).toEqual([]);
    expect(formatCompact(999_950, 1)).toBe('1M');
    expect(formatCompact(999_999_999_999_990, 1)).toBeUndefined();
  });

  it('matches Intl.NumberFormat for USD, EUR, GBP and JPY, standard and compact; others are left to Intl', () => {
    for (const currency of ['USD', 'EUR', 'GBP', 'JPY'])
      for (const notation of ['standard', 'compact'] as const) {
        const reference = intl({ style: 'currency', currency, notation, maximumFractionDigits: 2 });
        expect(
          differences((v) => formatCurrency(v, currency, notation, 2), reference),
          currency + notation,
        ).toEqual([]);
      }
    expect(formatCurrency(1234.5, 'USD', 'standard', 2)).toBe('$1,234.50');
    expect(formatCurrency(-12_345, 'USD', 'compact', 2)).toBe('-$12.35K');
    expect(formatCurrency(1000, 'USD', 'compact', 2)).toBe('$1.00K');
    expect(formatCurrency(1, 'CHF', 'standard', 2)).toBeUndefined();
  });

  it('leaves values JavaScript writes with an exponent to Intl', () => {
    expect(formatFixed(1e21, 2)).toBeUndefined();
    expect(formatSignificant(1e-7, 5)).toBeUndefined();
  });
});
