import type { MetricType, ValueType } from '../metrics/index.ts';

/** Rounds to `prec` decimals and drops trailing zeros (k6's toFixedNoTrailingZeros). */
export function fixedNoTrailingZeros(value: number, prec: number): string {
  return String(parseFloat(value.toFixed(prec)));
}

/** Truncates (never rounds up) to `prec` decimals, then drops trailing zeros. */
function truncatedNoTrailingZeros(value: number, prec: number): string {
  const mult = 10 ** prec;
  return fixedNoTrailingZeros(Math.trunc(mult * value) / mult, prec);
}

/** Bytes with decimal units, one decimal under 10: `684 kB`, `6.8 MB`, `9 B`. */
export function humanizeBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes < 10) return `${bytes} B`;
  const exp = Math.floor(Math.log(bytes) / Math.log(1000));
  const scaled = Math.floor((bytes / 1000 ** exp) * 10 + 0.5) / 10;
  return `${scaled.toFixed(scaled < 10 ? 1 : 0)} ${units[exp] ?? 'B'}`;
}

/** Milliseconds as k6 prints them: `0s`, `561ns`, `43.2µs`, `7.01ms`, `1.5s`, `1m30s`, `1h2m3s`. */
export function humanizeDuration(ms: number, timeUnit = ''): string {
  const fixed: Record<string, [string, number]> = { s: ['s', 0.001], ms: ['ms', 1], us: ['µs', 1000] };
  const unit = fixed[timeUnit];
  if (unit !== undefined) return `${(ms * unit[1]).toFixed(2)}${unit[0]}`;
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1_000_000)}ns`;
  if (ms < 1) return `${truncatedNoTrailingZeros(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${truncatedNoTrailingZeros(ms, 2)}ms`;
  let text = `${truncatedNoTrailingZeros((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)}s`;
  let rest = Math.trunc(ms / 60_000);
  if (rest < 1) return text;
  text = `${rest % 60}m${text}`;
  rest = Math.trunc(rest / 60);
  return rest < 1 ? text : `${rest}h${text}`;
}

/** A metric value for people: rates as truncated percentages, data in bytes, time as durations, else up to 6 decimals. */
export function humanizeValue(value: number, metric: { type: MetricType; contains: ValueType }, timeUnit = ''): string {
  if (metric.type === 'rate') return `${(Math.trunc(value * 100 * 100) / 100).toFixed(2)}%`;
  if (metric.contains === 'data') return humanizeBytes(value);
  if (metric.contains === 'time') return humanizeDuration(value, timeUnit);
  return fixedNoTrailingZeros(value, 6);
}

/** Terminal width of a string: ANSI escape sequences take no columns. */
export function strWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.normalize('NFKC').replace(/\x1b\[[0-9;]*[@-~]/g, '')].length;
}
