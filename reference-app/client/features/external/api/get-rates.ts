import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { cacheTimes, QUERY_ROOTS } from '../../../shared/query/cache-config.ts';

/** GET /api/external/rates: exchange rates the server fetches from an upstream API on a schedule. */
export interface Rates {
  source: string;
  fetchedAt: string;
  ageSeconds: number;
  stale: boolean;
  data: { base: string; rates: Record<string, number> };
}

export const ratesQueryKey = [QUERY_ROOTS.externalAPIs, 'rates'] as const;

export const getRates = (signal?: AbortSignal): Promise<Rates> => apiRequest<Rates>('/api/external/rates', { signal });

export const ratesQueryOptions = () =>
  queryOptions({
    queryKey: ratesQueryKey,
    queryFn: ({ signal }) => getRates(signal),
    ...cacheTimes('externalAPIs'),
    refetchInterval: cacheTimes('externalAPIs').staleTime,
  });

export const useRates = () => useQuery(ratesQueryOptions());
