import { useSyncExternalStore } from 'react';

/** Set when a new build's service worker is installed and waiting; `apply` activates it and reloads. */
let pending: (() => void) | null = null;
const listeners = new Set<() => void>();

export const updateStore = {
  get: (): (() => void) | null => pending,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  offer(apply: () => void): void {
    pending = apply;
    for (const listener of [...listeners]) listener();
  },
};

export function usePendingUpdate(): (() => void) | null {
  return useSyncExternalStore(updateStore.subscribe, updateStore.get, () => null);
}
