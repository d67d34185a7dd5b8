import { ToolkitError } from '../../errors.ts';
import { K6_EXIT_CODE } from '../exit-codes.ts';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a k6 duration ("1m30s", "300ms", "2.5s") to milliseconds. A bare number
 * is taken as milliseconds for `timeout`-like fields and as seconds when `bareUnit` says so,
 * because k6 treats numbers differently per option.
 */
export function parseDuration(value: unknown, where: string, bareUnit: 'ms' | 's' = 'ms'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return bareUnit === 's' ? value * 1000 : value;
  if (typeof value !== 'string' || value.trim() === '') throw badDuration(value, where);
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * (bareUnit === 's' ? 1000 : 1);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length) throw badDuration(value, where);
  return total;
}

function badDuration(value: unknown, where: string): ToolkitError {
  return new ToolkitError('SCRIPT_INVALID', `${where}: "${String(value)}" is not a duration`, {
    fix: 'write durations like k6 does: "300ms", "30s", "1m30s"',
    exitCode: K6_EXIT_CODE.invalidConfig,
  });
}

/** Formats milliseconds the way k6 prints durations in progress lines ("1m05.0s"). */
export function formatElapsed(ms: number): string {
  const totalSec = Math.max(0, ms) / 1000;
  const min = Math.floor(totalSec / 60);
  const sec = totalSec - min * 60;
  return `${String(min).padStart(2, '0')}m${sec.toFixed(1).padStart(4, '0')}s`;
}
