import type { QuantityKind } from '../results/verdicts.ts';

/** Units accepted per kind, with their factor to the base unit (ms, bytes, 0..1, per second). */
const UNITS: Record<QuantityKind, Record<string, number>> = {
  duration: { us: 0.001, µs: 0.001, ms: 1, s: 1000, min: 60_000 },
  size: { B: 1, kB: 1000, KB: 1000, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2 },
  ratio: { '%': 0.01, '': 1 },
  score: { '%': 0.01, '': 1 },
  rate: { '/s': 1, '/min': 1 / 60 },
  count: { '': 1 },
  number: { '': 1 },
};

/** What each kind expects, for error messages and docs. */
export const KIND_EXAMPLES: Record<QuantityKind, string> = {
  duration: 'a duration such as "300 ms" or "1.5 s"',
  size: 'a size such as "170 kB", "2 MB" or "120 KiB" (kB = 1000 bytes)',
  ratio: 'a ratio such as "95%" or 0.95',
  score: 'a score from 0 to 1 such as 0.9 or "90%"',
  rate: 'a rate such as "50/s" or "600/min"',
  count: 'a whole number such as 5',
  number: 'a plain number such as 0.1',
};

/** What a kind measures, in words, for messages. */
const KIND_NAMES: Record<QuantityKind, string> = {
  duration: 'time',
  size: 'size',
  ratio: 'a ratio',
  score: 'a score',
  rate: 'a rate',
  count: 'a count',
  number: 'a plain number',
};

/** The units a kind accepts, for messages: `us, µs, ms, s, min`. */
const unitList = (kind: QuantityKind): string => Object.keys(UNITS[kind]).filter(Boolean).join(', ') || 'no unit';

/** `<= 300 ms`, `300ms`, `95%`, `50/s`, `0.9`: optional operator, number, optional unit. */
export const QUANTITY_RE = /^\s*(<=|>=|<|>|==)?\s*(-?\d+(?:\.\d+)?)\s*(%|\/s|\/min|[a-zA-Zµ]+)?\s*$/;
/** `+10%`, `+20 ms`, `+5 kB`, `+0.5pp`: how much worse than the baseline is still accepted. */
export const TOLERANCE_RE = /^\s*\+\s*(\d+(?:\.\d+)?)\s*(%|\/s|\/min|[a-zA-Zµ]+)?\s*$/;

/** A parsed limit: operator (if written) and value in base units. */
export interface ParsedQuantity {
  operator: string | undefined;
  value: number;
}

/** Parses a human quantity of the given kind; returns an error text when it does not fit. */
export function parseQuantity(input: string | number, kind: QuantityKind): ParsedQuantity | { error: string } {
  if (typeof input === 'number') {
    if (kind === 'duration' || kind === 'size' || kind === 'rate')
      return { error: `expected ${KIND_EXAMPLES[kind]} (a bare number has no unit)` };
    return checkRange({ operator: undefined, value: input }, kind);
  }
  const m = QUANTITY_RE.exec(input);
  if (!m) return { error: `expected ${KIND_EXAMPLES[kind]}, optionally after an operator (<=, <, >=, >, ==)` };
  const factor = UNITS[kind][m[3] ?? ''];
  if (factor === undefined)
    return {
      error:
        m[3] === undefined
          ? `expected ${KIND_EXAMPLES[kind]}, with a unit (${unitList(kind)}); "${input.trim()}" has none`
          : `expected ${KIND_EXAMPLES[kind]}; "${m[3]}" is not a unit of ${KIND_NAMES[kind]} (use ${unitList(kind)})`,
    };
  return checkRange({ operator: m[1], value: Number(m[2]) * factor }, kind);
}

function checkRange(q: ParsedQuantity, kind: QuantityKind): ParsedQuantity | { error: string } {
  if ((kind === 'ratio' || kind === 'score') && (q.value < 0 || q.value > 1))
    return { error: `expected ${KIND_EXAMPLES[kind]} (between 0 and 1)` };
  if (kind === 'count' && !Number.isInteger(q.value)) return { error: `expected ${KIND_EXAMPLES[kind]}` };
  return q;
}

/** A parsed tolerance: relative (share of the baseline) or absolute (base units). */
export type Tolerance = { relative: number } | { absolute: number };

/**
 * Parses `+10%` (relative to the baseline, for every kind) or an absolute
 * amount in the entry's unit: `+20 ms`, `+5 kB`, `+5/s`, `+2`, and for ratios
 * and scores percentage points `+0.5pp`.
 */
export function parseTolerance(input: string, kind: QuantityKind): Tolerance | { error: string } {
  const m = TOLERANCE_RE.exec(input);
  if (!m) return { error: 'expected a tolerance such as "+10%" or "+20 ms"' };
  if (m[2] === '%') return { relative: Number(m[1]) / 100 };
  if (m[2] === 'pp' && (kind === 'ratio' || kind === 'score')) return { absolute: Number(m[1]) / 100 };
  const factor = UNITS[kind][m[2] ?? ''];
  if (factor === undefined)
    return { error: `expected a tolerance such as "+10%" or "+${KIND_EXAMPLES[kind].split('"')[1] ?? '1'}"` };
  return { absolute: Number(m[1]) * factor };
}

const trim = (v: number, digits: number): string => String(Number(v.toFixed(digits)));

/** Prints a base-unit value for people in the kind's natural unit: `412 ms`, `1.5 s`, `120 kB`, `95%`, `50/s`. */
export function formatQuantity(value: number, kind: QuantityKind): string {
  switch (kind) {
    case 'duration':
      if (Math.abs(value) >= 1000) return `${trim(value / 1000, 2)} s`;
      // Under 0.1 ms (a budget's "<= 0.001 ms"): microseconds, so the limit never prints as 0 ms.
      if (value !== 0 && Math.abs(value) < 0.1) return `${trim(value * 1000, 2)} µs`;
      return `${trim(value, Math.abs(value) < 10 ? 2 : 1)} ms`;
    case 'size':
      if (Math.abs(value) >= 1e9) return `${trim(value / 1e9, 2)} GB`;
      if (Math.abs(value) >= 1e6) return `${trim(value / 1e6, 2)} MB`;
      return Math.abs(value) >= 1000 ? `${trim(value / 1000, 1)} kB` : `${trim(value, 0)} B`;
    case 'ratio':
      return `${trim(value * 100, 2)}%`;
    case 'rate':
      return `${trim(value, 1)}/s`;
    case 'count':
      return trim(value, 0);
    case 'score':
    case 'number':
      return trim(value, 3);
  }
}

/** Signed difference for people: `+112 ms`, `-0.05`, `+3.2%`. */
export function formatDelta(delta: number, kind: QuantityKind): string {
  const text = formatQuantity(Math.abs(delta), kind);
  if (/^[0.]+\D*$/.test(text)) return `±${text}`;
  return `${delta < 0 ? '-' : '+'}${text}`;
}
