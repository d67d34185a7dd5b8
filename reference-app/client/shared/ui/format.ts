/** Number and time formatting shared by cards, charts and widgets. */
import { formatCompact, formatCurrency, formatFixed, formatSignificant } from './number-text.ts';

// The first screen formats without Intl (see number-text.ts: the page's first Intl object costs a
// long task); Intl formatters, made on first use and kept, cover what number-text leaves out.
const numberFormats = new Map<string, Intl.NumberFormat>();

function intl(value: number, options: Intl.NumberFormatOptions): string {
  const key = JSON.stringify(options);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', options);
    numberFormats.set(key, format);
  }
  return format.format(value);
}

const compact = (v: number): string =>
  formatCompact(v, 1) ?? intl(v, { notation: 'compact', maximumFractionDigits: 1 });
const plain = (v: number): string => formatFixed(v, 2) ?? intl(v, { maximumFractionDigits: 2 });

/**
 * Formats a metric value in its unit: currencies as money, percentages with %,
 * counts compactly. `bare` leaves out word units ("users") where space is short.
 */
export function formatValue(value: number | null | undefined, unit: string, bare = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const u = unit.trim();
  if (u === '%' || u === 'percent') return `${plain(value)}%`;
  if (u === 'ratio') return `${plain(value * 100)}%`;
  if (/^[A-Z]{3}$/.test(u)) {
    const notation = Math.abs(value) >= 10_000 ? 'compact' : 'standard';
    return (
      formatCurrency(value, u, notation, 2) ??
      intl(value, { style: 'currency', currency: u, notation, maximumFractionDigits: 2 })
    );
  }
  const text = Math.abs(value) >= 10_000 ? compact(value) : plain(value);
  return u && u !== 'count' && !bare ? `${text} ${u}` : text;
}

/** An exchange rate to five significant digits: 0.92345, 156.78. */
export function formatRate(rate: number): string {
  return formatSignificant(rate, 5) ?? intl(rate, { maximumSignificantDigits: 5 });
}

/** Relative change between two values, or null when it is not defined. */
export function relativeChange(latest: number | null, previous: number | null): number | null {
  if (latest === null || previous === null || previous === 0) return null;
  return (latest - previous) / Math.abs(previous);
}

export function formatChange(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const pct = ratio * 100;
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '';
  return `${sign}${Math.abs(pct).toFixed(Math.abs(pct) < 10 ? 1 : 0)}%`;
}

/** "just now", "4 min ago", "3 h ago", "2 d ago". */
export function formatAgo(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "09:41 AM", local time: what toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' }) gives, without Intl. */
export function formatClock(epochMs: number): string {
  const at = new Date(epochMs);
  const hours = at.getHours();
  return `${pad2(hours % 12 || 12)}:${pad2(at.getMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
}
