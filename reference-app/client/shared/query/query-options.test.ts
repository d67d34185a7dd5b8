// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { meQueryOptions } from '../../features/auth/api/get-me.ts';
import { dashboardQueryOptions } from '../../features/dashboard/api/get-dashboard.ts';
import { ratesQueryOptions } from '../../features/external/api/get-rates.ts';
import { useIngestMetrics } from '../../features/metrics/api/ingest-metrics.ts';
import { metricSeriesQueryOptions } from '../../features/metrics/api/get-metric-series.ts';
import { profileQueryOptions } from '../../features/settings/api/get-profile.ts';
import { useUpdateProfile } from '../../features/settings/api/update-profile.ts';
import { useStubApi } from '../../test-support/stub-api.ts';
import type { StubApi } from '../../test-support/stub-api.ts';
import { DEFAULT_PREFERENCES } from '../storage/preferences-store.ts';

const MIN = 60_000;

describe('query options follow the CacheConfig per kind of data', () => {
  it.each([
    ['dashboard (metrics)', dashboardQueryOptions(), 5 * MIN],
    ['metric series (metrics)', metricSeriesQueryOptions('revenue', '7d'), 5 * MIN],
    ['me (userData)', meQueryOptions(), 30 * MIN],
    ['profile (userData)', profileQueryOptions(), 30 * MIN],
    ['rates (externalAPIs)', ratesQueryOptions(), 15 * MIN],
  ])('%s is fresh for the server TTL and kept twice as long', (_name, options, ttl) => {
    expect(options.staleTime).toBe(ttl);
    expect(options.gcTime).toBe(2 * ttl);
  });

  it('polls the dashboard and the rates in the background at their TTL', () => {
    expect(dashboardQueryOptions().refetchInterval).toBe(5 * MIN);
    expect(ratesQueryOptions().refetchInterval).toBe(15 * MIN);
  });
});

describe('mutations invalidate exactly what the server invalidates', () => {
  let api: StubApi;
  useStubApi((started) => {
    api = started;
    api.on('POST', '/api/metrics/ingest', { status: 202, body: { accepted: 1, writeId: 1 } });
    api.on('PATCH', '/api/profile', ({ body }) => ({
      status: 200,
      body: { user: { id: 1 }, preferences: (body as { preferences?: unknown }).preferences ?? DEFAULT_PREFERENCES },
    }));
  });

  function seededClient(): QueryClient {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    for (const options of [
      dashboardQueryOptions(),
      metricSeriesQueryOptions('revenue', '24h'),
      meQueryOptions(),
      profileQueryOptions(),
      ratesQueryOptions(),
    ]) {
      client.setQueryData(options.queryKey, {} as never);
    }
    return client;
  }

  const invalidated = (client: QueryClient): string[] =>
    client
      .getQueryCache()
      .getAll()
      .filter((q) => q.state.isInvalidated)
      .map((q) => q.queryKey.join('/'))
      .sort();

  const wrapper =
    (client: QueryClient) =>
    ({ children }: { children: ReactNode }) =>
      createElement(QueryClientProvider, { client }, children);

  it('ingest → every metrics query, nothing else', async () => {
    const client = seededClient();
    const { result } = renderHook(() => useIngestMetrics(), { wrapper: wrapper(client) });
    await act(() => result.current.mutateAsync([{ metric: 'revenue', ts: new Date().toISOString(), value: 1 }]));
    expect(invalidated(client)).toEqual(['metrics/dashboard', 'metrics/series/revenue/24h']);
  });

  it('profile update → every user query, nothing else', async () => {
    const client = seededClient();
    const { result } = renderHook(() => useUpdateProfile(), { wrapper: wrapper(client) });
    await act(() => result.current.mutateAsync({ preferences: { ...DEFAULT_PREFERENCES, theme: 'dark' } }));
    await waitFor(() => expect(invalidated(client)).toEqual(['user/me', 'user/profile']));
    expect(api.requests.at(-1)).toMatchObject({ method: 'PATCH', path: '/api/profile' });
  });
});
