/** Small structural checks for stored JSON; hand-written to keep the bundle free of a schema library. */

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isOneOf = <T extends string>(v: unknown, options: readonly T[]): v is T =>
  typeof v === 'string' && (options as readonly string[]).includes(v);

export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
