/** Number and time formatting shared by cards, charts and widgets. */

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * Formats a metric value in its unit: currencies as money, percentages with %,
 * counts compactly. `bare` leaves out word units ("users") where space is short.
 */
export function formatValue(value: number | null | undefined, unit: string, bare = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const u = unit.trim();
  if (u === '%' || u === 'percent') return `${plain.format(value)}%`;
  if (u === 'ratio') return `${plain.format(value * 100)}%`;
  if (/^[A-Z]{3}$/.test(u)) {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: u,
      notation: Math.abs(value) >= 10_000 ? 'compact' : 'standard',
      maximumFractionDigits: 2,
    }).format(value);
  }
  const text = Math.abs(value) >= 10_000 ? compact.format(value) : plain.format(value);
  return u && u !== 'count' && !bare ? `${text} ${u}` : text;
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

export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });
}
