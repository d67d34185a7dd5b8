import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EndpointSeries, StatusPoint } from '../results/index.ts';
import { percentile } from './samples.ts';

/** Per-second series read from the runs' NDJSON samples: p95 per endpoint (top N by traffic) and status classes. */
export interface SampleSeries {
  endpointSeries: EndpointSeries[];
  statusSeries: StatusPoint[];
}

interface DurationLine {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> };
}

/** The name every endpoint beyond the top N is grouped under. */
export const OTHER_ENDPOINTS = 'other';

const statusKey = (status: string | undefined): keyof Omit<StatusPoint, 't'> => {
  const code = Number(status ?? 0);
  if (!Number.isFinite(code) || code < 100) return 'network';
  if (code < 300) return 's2xx';
  if (code < 400) return 's3xx';
  return code < 500 ? 's4xx' : 's5xx';
};

const emptyStatus = (t: number): StatusPoint => ({ t, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, network: 0 });

/**
 * Reads http_req_duration samples (one per request) and buckets them by second
 * since runStartMs. Seconds without a request of an endpoint have no point, so
 * a chart shows a gap there rather than a line across it.
 */
export async function sampleSeries(files: string[], runStartMs: number, topN = 6): Promise<SampleSeries> {
  const byName = new Map<string, Map<number, number[]>>();
  const totals = new Map<string, number>();
  const status = new Map<number, StatusPoint>();
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.includes('"Point"') || !line.includes('"http_req_duration"')) continue;
      const point = JSON.parse(line) as DurationLine;
      if (point.metric !== 'http_req_duration' || !point.data?.time) continue;
      const t = Math.max(0, Math.floor((Date.parse(point.data.time) - runStartMs) / 1000));
      const tags = point.data.tags ?? {};
      const name = tags.name ?? tags.url ?? 'unnamed';
      let seconds = byName.get(name);
      if (!seconds) byName.set(name, (seconds = new Map()));
      let bucket = seconds.get(t);
      if (!bucket) seconds.set(t, (bucket = []));
      bucket.push(point.data.value ?? 0);
      totals.set(name, (totals.get(name) ?? 0) + 1);
      let s = status.get(t);
      if (!s) status.set(t, (s = emptyStatus(t)));
      s[statusKey(tags.status)] += 1;
    }
  }
  const ranked = [...totals].sort((a, b) => b[1] - a[1]).map(([n]) => n);
  const top = ranked.slice(0, topN);
  const rest = ranked.slice(topN);
  const groups: Array<[string, string[]]> = top.map((n) => [n, [n]]);
  if (rest.length > 0) groups.push([OTHER_ENDPOINTS, rest]);
  const endpointSeries = groups.map(([name, members]) => {
    const merged = new Map<number, number[]>();
    for (const m of members) for (const [t, v] of byName.get(m) ?? []) merged.set(t, [...(merged.get(t) ?? []), ...v]);
    const points = [...merged]
      .sort((a, b) => a[0] - b[0])
      .map(([t, v]) => ({ t, p95: Number(percentile(Float64Array.from(v).sort(), 95).toFixed(2)), count: v.length }));
    return { name, points };
  });
  return { endpointSeries, statusSeries: [...status.values()].sort((a, b) => a.t - b.t) };
}
