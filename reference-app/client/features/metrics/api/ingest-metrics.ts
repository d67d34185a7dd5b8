import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/http.ts';
import { QUERY_ROOTS } from '../../../shared/query/cache-config.ts';

export interface IngestPoint {
  metric: string;
  ts: string;
  value: number;
}

export const ingestMetrics = (points: IngestPoint[]): Promise<{ accepted: number; writeId: number }> =>
  apiRequest('/api/metrics/ingest', { method: 'POST', body: { points } });

/** Ingest invalidates the business's metrics on the server, so it invalidates every metrics query here. */
export function useIngestMetrics() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ingestMetrics,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [QUERY_ROOTS.metrics] }),
  });
}
