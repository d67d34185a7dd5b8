import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { cacheTimes, QUERY_ROOTS } from '../../../shared/query/cache-config.ts';

/** One metric's card data, as GET /api/dashboard returns it. */
export interface DashboardMetric {
  metric: string;
  label: string;
  unit: string;
  latest: number | null;
  previous: number | null;
  change: number | null;
  min24h: number | null;
  max24h: number | null;
  avg24h: number | null;
  sparkline: { t: string; v: number }[];
}

export interface Dashboard {
  businessId: number;
  businessName: string;
  generatedAt: string;
  metrics: DashboardMetric[];
}

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
