/** Number and time formatting shared by cards, charts and widgets. */

// Formatters are made on first use and kept: building one is the costly part (the
// first Intl object of a page also loads the locale's data), formatting is cheap.
// Made at module load they would lengthen the task that evaluates the entry script.
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', options);
    numberFormats.set(key, format);
  }
  return format;
}

const compact = (): Intl.NumberFormat => numberFormat({ notation: 'compact', maximumFractionDigits: 1 });
const plain = (): Intl.NumberFormat => numberFormat({ maximumFractionDigits: 2 });

/**
 * Formats a metric value in its unit: currencies as money, percentages with %,
 * counts compactly. `bare` leaves out word units ("users") where space is short.
 */
export function formatValue(value: number | null | undefined, unit: string, bare = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const u = unit.trim();
  if (u === '%' || u === 'percent') return `${plain().format(value)}%`;
  if (u === 'ratio') return `${plain().format(value * 100)}%`;
  if (/^[A-Z]{3}$/.test(u)) {
    return numberFormat({
      style: 'currency',
      currency: u,
      notation: Math.abs(value) >= 10_000 ? 'compact' : 'standard',
      maximumFractionDigits: 2,
    }).format(value);
  }
  const text = Math.abs(value) >= 10_000 ? compact().format(value) : plain().format(value);
  return u && u !== 'count' && !bare ? `${text} ${u}` : text;
}

/** An exchange rate to five significant digits: 0.92345, 156.78. */
export function formatRate(rate: number): string {
  return numberFormat({ maximumSignificantDigits: 5 }).format(rate);
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

let clock: Intl.DateTimeFormat | undefined;

/** "09:41 AM": what toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' }) gives, with one formatter. */
export function formatClock(epochMs: number): string {
  clock ??= new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit' });
  return clock.format(epochMs);
}

/**
 * Builds the formatters the dashboard uses, ahead of its first render: called
 * in a task of its own while the data is on its way, the one-off cost of the
 * page's first Intl objects stays out of the render that shows the data.
 */
export function prepareFormatters(): void {
  plain();
  compact();
  formatRate(1);
  formatClock(0);
}
