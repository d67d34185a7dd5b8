/**
 * A value kept in localStorage under a versioned envelope `{ v, data }`.
 * Anything unreadable (bad JSON, another version, failing validation) is
 * discarded and replaced by the fallback, so a schema change or a hand-edited
 * entry can never crash the app. Writes in other tabs arrive through the
 * `storage` event and are pushed to subscribers, which keeps tabs in sync.
 */

/** Turns an unknown stored value into T, or null when it is not acceptable. */
export type Validator<T> = (raw: unknown) => T | null;

export interface StoreSpec<T> {
  key: string;
  version: number;
  validate: Validator<T>;
  fallback: T;
}

export interface VersionedStore<T> {
  get(): T;
  set(value: T): void;
  clear(): void;
  /** Calls listener on changes made here or in another tab; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

interface Env {
  storage: Storage | undefined;
  target: Pick<Window, 'addEventListener' | 'removeEventListener'> | undefined;
}

function defaultEnv(): Env {
  if (typeof window === 'undefined') return { storage: undefined, target: undefined };
  // Accessing localStorage throws when storage is disabled by the browser.
  try {
    return { storage: window.localStorage, target: window };
  } catch {
    return { storage: undefined, target: window };
  }
}

export function createVersionedStore<T>(spec: StoreSpec<T>, env: Env = defaultEnv()): VersionedStore<T> {
  const listeners = new Set<() => void>();
  // Memo so repeated get() calls return the same object (useSyncExternalStore needs that).
  let lastRaw: string | null | undefined;
  let lastValue: T = spec.fallback;
  let memoryOnly: T | undefined;

  const decode = (raw: string | null): T => {
    if (raw === null) return spec.fallback;
    const value = decodeEnvelope(raw, spec);
    if (value !== null) return value;
    safeRemove(env.storage, spec.key);
    return spec.fallback;
  };

  const read = (): T => {
    if (!env.storage) return memoryOnly ?? spec.fallback;
    let raw: string | null;
    try {
      raw = env.storage.getItem(spec.key);
    } catch {
      return memoryOnly ?? spec.fallback;
    }
    if (raw !== lastRaw) {
      lastValue = decode(raw);
      lastRaw = raw;
    }
    return lastValue;
  };

  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const onStorage = (event: Event): void => {
    const key = (event as StorageEvent).key;
    // key === null means another tab called localStorage.clear().
    if (key === spec.key || key === null) notify();
  };

  return {
    get: read,
    set(value) {
      memoryOnly = value;
      try {
        env.storage?.setItem(spec.key, JSON.stringify({ v: spec.version, data: value }));
      } catch {
        // Quota exceeded or storage disabled: keep the value for this tab only.
      }
      notify();
    },
    clear() {
      memoryOnly = undefined;
      safeRemove(env.storage, spec.key);
      notify();
    },
    subscribe(listener) {
      if (listeners.size === 0) env.target?.addEventListener('storage', onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) env.target?.removeEventListener('storage', onStorage);
      };
    },
  };
}

/** The value inside `{ v, data }` when the version matches and the data validates, else null. */
function decodeEnvelope<T>(raw: string, spec: StoreSpec<T>): T | null {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'v' in parsed &&
      parsed.v === spec.version &&
      'data' in parsed
    ) {
      return spec.validate(parsed.data);
    }
  } catch {
    // unreadable JSON is discarded like any other bad entry
  }
  return null;
}

function safeRemove(storage: Storage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // storage disabled: nothing to remove
  }
}
