/** The `k6` module: check, group, sleep, fail. */
import { blockFor } from './bridge.ts';
import { baseTags, emit, tagsChanged, vu } from './state.ts';

type CheckFn = (value: unknown) => unknown;

/**
 * Runs each named check on `value`, records a `checks` sample per check, returns whether all passed.
 * A check whose function throws is recorded as failed, then the exception goes on into the iteration
 * (the checks after it are not evaluated), as in k6.
 */
export function check(
  value: unknown,
  sets: Record<string, CheckFn | unknown>,
  tags: Record<string, string> = {},
): boolean {
  let all = true;
  const now = Date.now();
  for (const [name, fn] of Object.entries(sets)) {
    const at = { ...baseTags(), ...tags, check: name };
    let ok: boolean;
    try {
      ok = typeof fn === 'function' ? Boolean((fn as CheckFn)(value)) : Boolean(fn);
    } catch (err) {
      emit('checks', 0, at, now);
      throw err;
    }
    if (!ok) all = false;
    emit('checks', ok ? 1 : 0, at, now);
  }
  return all;
}

/** Runs fn inside a named group: tags its samples with the group path and records group_duration. */
export function group<T>(name: string, fn: () => T): T {
  if (name.includes('::')) throw new Error(`group and check names may not contain '::' (got "${name}")`);
  const parent = vu.group;
  vu.group = `${parent}::${name}`;
  tagsChanged();
  const start = performance.now();
  try {
    return fn();
  } finally {
    emit('group_duration', performance.now() - start, baseTags());
    vu.group = parent;
    tagsChanged();
  }
}

/** Blocks the VU for `seconds` (fractions allowed). */
export function sleep(seconds: number): void {
  blockFor(Number(seconds) * 1000);
}

/** Aborts the current iteration with an error, as k6's fail(). */
export function fail(message = ''): never {
  throw new Error(message);
}

export function randomSeed(): void {
  // Math.random is not seedable in V8; kept for API compatibility.
}

export default { check, group, sleep, fail, randomSeed };
