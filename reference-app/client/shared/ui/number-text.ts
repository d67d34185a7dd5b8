/**
 * en-US number text without Intl. The first Intl formatter a page makes costs
 * 15–85 ms of main thread on this kind of machine (ICU loads its data), in one
 * task no slicing can shorten, right when the dashboard shows its first data;
 * the numbers the dashboard shows need none of ICU's generality. These give
 * the same text as Intl.NumberFormat('en-US') with the options named on each
 * (shared/ui/number-text.test.ts compares them over thousands of values), and
 * return undefined for what they do not cover (exponent-sized values), which
 * callers hand to Intl.
 */

/** A non-negative number's decimal digits and where the point goes (`12.5` → "125", 2). */
interface Digits {
  digits: string;
  point: number;
}

/** |value| in its shortest round-trip decimal form, the form ICU rounds; undefined when JS prints it with an exponent. */
function digitsOf(abs: number): Digits | undefined {
  const text = String(abs);
  if (text.includes('e')) return undefined;
  const [int = '0', frac = ''] = text.split('.');
  const trimmed = int.replace(/^0+/, '');
  return { digits: trimmed + frac, point: trimmed.length };
}

/** Keeps the first `keep` digits, rounding half away from zero (Intl's default `halfExpand`). */
function roundTo(d: Digits, keep: number): Digits {
  if (keep >= d.digits.length) return d;
  if (keep < 0) return { digits: '', point: d.point };
  const kept = d.digits.slice(0, keep);
  if ((d.digits[keep] ?? '0') < '5') return { digits: kept, point: d.point };
  const bumped = (BigInt(kept || '0') + 1n).toString().padStart(keep, '0');
  return { digits: bumped, point: d.point + (bumped.length - keep) };
}

/** 1234567 → "1,234,567". */
function group(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Digits as text: at least `minFrac` and at most what rounding left of the fraction, thousands grouped. */
function text(d: Digits, minFrac: number): string {
  const all = d.digits.padEnd(Math.max(d.point, 0), '0');
  const point = Math.max(d.point, 0);
  const int = all.slice(0, point).replace(/^0+/, '') || '0';
  const frac = ('0'.repeat(Math.max(-d.point, 0)) + all.slice(point)).replace(/0+$/, '').padEnd(minFrac, '0');
  return frac ? `${group(int)}.${frac}` : group(int);
}

/** The sign Intl writes: "-" for negative values, also those that round to zero ("-0"). */
const sign = (value: number): string => (value < 0 || Object.is(value, -0) ? '-' : '');

/** `Intl.NumberFormat('en-US', { minimumFractionDigits, maximumFractionDigits })`. */
export function formatFixed(value: number, maxFrac: number, minFrac = 0): string | undefined {
  const d = digitsOf(Math.abs(value));
  if (!d) return undefined;
  return sign(value) + text(roundTo(d, d.point + maxFrac), minFrac);
}

/** `Intl.NumberFormat('en-US', { maximumSignificantDigits })`. */
export function formatSignificant(value: number, digits: number): string | undefined {
  const d = digitsOf(Math.abs(value));
  if (!d) return undefined;
  const lead = d.digits.search(/[1-9]/);
  return sign(value) + text(roundTo(d, (lead < 0 ? 0 : lead) + digits), 0);
}

const COMPACT_SUFFIX = ['', 'K', 'M', 'B', 'T'] as const;

/** `Intl.NumberFormat('en-US', { notation: 'compact', minimumFractionDigits, maximumFractionDigits })`, below 1000T. */
export function formatCompact(value: number, maxFrac: number, minFrac = 0): string | undefined {
  const abs = Math.abs(value);
  const d = digitsOf(abs);
  if (!d) return undefined;
  let unit = d.point > 3 ? Math.min(Math.floor((d.point - 1) / 3), COMPACT_SUFFIX.length - 1) : 0;
  let rounded = roundTo(d, d.point + maxFrac - 3 * unit);
  // 999,950 rounds to 1000.0K, which Intl writes as 1M.
  if (rounded.point - 3 * unit > 3 && unit < COMPACT_SUFFIX.length - 1) {
    unit += 1;
    rounded = roundTo(d, d.point + maxFrac - 3 * unit);
  }
  const scaled = { digits: rounded.digits, point: rounded.point - 3 * unit };
  // 1000T and up: Intl's compact grouping rule (`min2`) is not worth copying for values no card shows.
  if (scaled.point > 3) return undefined;
  return sign(value) + text(scaled, minFrac) + COMPACT_SUFFIX[unit];
}

/** Currencies written without Intl: en-US symbol and the currency's own fraction digits. */
const CURRENCIES: Record<string, { symbol: string; fraction: number }> = {
  USD: { symbol: '$', fraction: 2 },
  EUR: { symbol: '€', fraction: 2 },
  GBP: { symbol: '£', fraction: 2 },
  JPY: { symbol: '¥', fraction: 0 },
};

/**
 * `Intl.NumberFormat('en-US', { style: 'currency', currency, notation, maximumFractionDigits })`
 * for USD, EUR, GBP and JPY (maximumFractionDigits at least the currency's own digits, which
 * are then the minimum in both notations: `$1.00K`).
 */
export function formatCurrency(
  value: number,
  currency: string,
  notation: 'standard' | 'compact',
  maxFrac: number,
): string | undefined {
  const known = CURRENCIES[currency];
  if (!known || maxFrac < known.fraction) return undefined;
  const number =
    notation === 'compact'
      ? formatCompact(Math.abs(value), maxFrac, known.fraction)
      : formatFixed(Math.abs(value), maxFrac, known.fraction);
  return number === undefined ? undefined : `${sign(value)}${known.symbol}${number}`;
}
