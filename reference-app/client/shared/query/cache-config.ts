/**
 * Client cache lifetimes per kind of data, mirroring the server's CacheConfig
 * (performance-architecture.md): data is fresh for as long as the server
 * would serve it from its own cache, and unused data is kept twice that long
 * so going back to a page shows it at once while it revalidates.
 */
const MINUTE = 60_000;

export const CACHE_KINDS = {
  metrics: { ttl: 5 * MINUTE },
  userData: { ttl: 30 * MINUTE },
  externalAPIs: { ttl: 15 * MINUTE },
} as const;

export type CacheKind = keyof typeof CACHE_KINDS;

/** staleTime / gcTime for a kind, ready to spread into query options. */
export function cacheTimes(kind: CacheKind): { staleTime: number; gcTime: number } {
  const { ttl } = CACHE_KINDS[kind];
  return { staleTime: ttl, gcTime: 2 * ttl };
}

/**
 * Root query keys per kind: mutations invalidate a whole root, exactly as the
 * server invalidates a whole cache kind (ingest → metrics, profile → userData).
 */
export const QUERY_ROOTS = {
  metrics: 'metrics',
  userData: 'user',
  externalAPIs: 'external',
} as const satisfies Record<CacheKind, string>;
