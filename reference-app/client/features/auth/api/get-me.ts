import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { cacheTimes, QUERY_ROOTS } from '../../../shared/query/cache-config.ts';
import type { AuthUser } from '../../../shared/storage/auth-store.ts';

export const meQueryKey = [QUERY_ROOTS.userData, 'me'] as const;

export const getMe = (signal?: AbortSignal): Promise<{ user: AuthUser }> =>
  apiRequest<{ user: AuthUser }>('/api/auth/me', { signal });

export const meQueryOptions = () =>
  queryOptions({ queryKey: meQueryKey, queryFn: ({ signal }) => getMe(signal), ...cacheTimes('userData') });

export const useMe = (enabled = true) => useQuery({ ...meQueryOptions(), enabled });
