/** The `k6` module of the shared model: check, group and sleep await the script's (async) functions. */
import { baseTags, emit, tagsChanged, vu } from '../../vu/state.ts';
import { blockFor } from './bridge.ts';

type CheckFn = (value: unknown) => unknown;

/** As k6's check(): a sample per check; a check that throws is recorded as failed, then the error goes on. */
export async function check(
  value: unknown,
  sets: Record<string, CheckFn | unknown>,
  tags: Record<string, string> = {},
): Promise<boolean> {
  let all = true;
  const now = Date.now();
  for (const [name, fn] of Object.entries(sets)) {
    const at = { ...baseTags(), ...tags, check: name };
    let ok: boolean;
    try {
      ok = typeof fn === 'function' ? Boolean(await (fn as CheckFn)(value)) : Boolean(fn);
    } catch (err) {
      emit('checks', 0, at, now);
      throw err;
    }
    if (!ok) all = false;
    emit('checks', ok ? 1 : 0, at, now);
  }
  return all;
}

/** Runs fn inside a named group: its samples carry the group path; group_duration when it ends. */
export async function group<T>(name: string, fn: () => T): Promise<Awaited<T>> {
  if (name.includes('::')) throw new Error(`group and check names may not contain '::' (got "${name}")`);
  const parent = vu.group;
  vu.group = `${parent}::${name}`;
  tagsChanged();
  const start = performance.now();
  try {
    return await fn();
  } finally {
    emit('group_duration', performance.now() - start, baseTags());
    vu.group = parent;
    tagsChanged();
  }
}

/** Suspends this VU for `seconds` (fractions allowed). */
export function sleep(seconds: number): Promise<void> {
  return blockFor(Number(seconds) * 1000);
}

export function fail(message = ''): never {
  throw new Error(message);
}

export function randomSeed(): void {
  // Math.random is not seedable in V8; kept for API compatibility.
}

export default { check, group, sleep, fail, randomSeed };
