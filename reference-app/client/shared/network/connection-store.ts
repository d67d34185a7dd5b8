import { useSyncExternalStore } from 'react';

/**
 * Whether the data on screen came from the network or from the service
 * worker's cache because the network failed. The service worker marks its
 * fallbacks with `X-SW-Fallback`; the http layer reports every answer here.
 */
export interface ConnectionState {
  offline: boolean;
  /** When the shown cached data was fetched (epoch ms), if known. */
  cachedAt: number | null;
}

const ONLINE: ConnectionState = { offline: false, cachedAt: null };
let state: ConnectionState = ONLINE;
const listeners = new Set<() => void>();

function setState(next: ConnectionState): void {
  if (next.offline === state.offline && next.cachedAt === state.cachedAt) return;
  state = next;
  for (const listener of [...listeners]) listener();
}

export const connectionStore = {
  get: (): ConnectionState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  reportNetwork(): void {
    setState(ONLINE);
  },
  reportCacheFallback(cachedAt: number | null): void {
    // Keep the oldest timestamp: the notice should not understate how old the data is.
    const oldest = state.cachedAt !== null && cachedAt !== null ? Math.min(state.cachedAt, cachedAt) : cachedAt;
    setState({ offline: true, cachedAt: oldest });
  },
  reportUnreachable(): void {
    setState({ offline: true, cachedAt: state.cachedAt });
  },
};

export function useConnection(): ConnectionState {
  return useSyncExternalStore(connectionStore.subscribe, connectionStore.get, () => ONLINE);
}
