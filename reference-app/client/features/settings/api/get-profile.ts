import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { cacheTimes, QUERY_ROOTS } from '../../../shared/query/cache-config.ts';
import type { AuthUser } from '../../../shared/storage/auth-store.ts';
import type { Preferences } from '../../../shared/storage/preferences-store.ts';

export interface Profile {
  user: AuthUser;
  preferences: Preferences;
}

export const profileQueryKey = [QUERY_ROOTS.userData, 'profile'] as const;

export const getProfile = (signal?: AbortSignal): Promise<Profile> => apiRequest<Profile>('/api/profile', { signal });

export const profileQueryOptions = () =>
  queryOptions({ queryKey: profileQueryKey, queryFn: ({ signal }) => getProfile(signal), ...cacheTimes('userData') });

export const useProfile = (enabled = true) => useQuery({ ...profileQueryOptions(), enabled });
