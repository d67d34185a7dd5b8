import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { cacheTimes, QUERY_ROOTS } from '../../../shared/query/cache-config.ts';
import type { Dashboard } from '../../../../contract/dashboard.ts';

export type { Dashboard, DashboardMetric } from '../../../../contract/dashboard.ts';

export const dashboardQueryKey = [QUERY_ROOTS.metrics, 'dashboard'] as const;

export const getDashboard = (signal?: AbortSignal): Promise<Dashboard> =>
  apiRequest<Dashboard>('/api/dashboard', { signal });

export const dashboardQueryOptions = () =>
  queryOptions({
    queryKey: dashboardQueryKey,
    queryFn: ({ signal }) => getDashboard(signal),
    ...cacheTimes('metrics'),
    // Poll at the server's TTL while the tab is visible: new numbers appear without a reload.
    refetchInterval: cacheTimes('metrics').staleTime,
  });

export const useDashboard = () => useQuery(dashboardQueryOptions());
