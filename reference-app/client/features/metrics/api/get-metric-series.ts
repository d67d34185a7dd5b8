import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { cacheTimes, QUERY_ROOTS } from '../../../shared/query/cache-config.ts';
import type { Range } from '../../../shared/storage/preferences-store.ts';

export interface SeriesPoint {
  t: string;
  avg: number;
  min: number;
  max: number;
  count: number;
}

export interface MetricSeries {
  metric: string;
  label: string;
  unit: string;
  from: string;
  to: string;
  bucket: '5m' | '1h' | '1d';
  points: SeriesPoint[];
}

const HOUR = 3_600_000;
const RANGE_SPEC: Record<Range, { span: number; bucket: MetricSeries['bucket'] }> = {
  '24h': { span: 24 * HOUR, bucket: '1h' },
  '7d': { span: 7 * 24 * HOUR, bucket: '1h' },
  '30d': { span: 30 * 24 * HOUR, bucket: '1d' },
};

/** The request for a range ending now; `to` is rounded to the minute so retries hit the server's cache. */
export function seriesRequestPath(metric: string, range: Range, now = Date.now()): string {
  const { span, bucket } = RANGE_SPEC[range];
  const to = Math.ceil(now / 60_000) * 60_000;
  const params = new URLSearchParams({
    from: new Date(to - span).toISOString(),
    to: new Date(to).toISOString(),
    bucket,
  });
  return `/api/metrics/${encodeURIComponent(metric)}/series?${params.toString()}`;
}

export const getMetricSeries = (metric: string, range: Range, signal?: AbortSignal): Promise<MetricSeries> =>
  apiRequest<MetricSeries>(seriesRequestPath(metric, range), { signal });

export const metricSeriesQueryOptions = (metric: string, range: Range) =>
  queryOptions({
    queryKey: [QUERY_ROOTS.metrics, 'series', metric, range] as const,
    queryFn: ({ signal }) => getMetricSeries(metric, range, signal),
    ...cacheTimes('metrics'),
    // Switching range keeps the old chart on screen until the new one arrives.
    placeholderData: keepPreviousData,
  });

export const useMetricSeries = (metric: string, range: Range) => useQuery(metricSeriesQueryOptions(metric, range));
