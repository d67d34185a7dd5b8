import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EndpointResults, Latency } from '../results/index.ts';
import { histogramOf, percentile, quantileEstimate } from '../stats/index.ts';

/** Per-endpoint request figures collected from k6 NDJSON sample files (--out json), exact. */
interface EndpointAcc {
  durations: number[];
  failed: number;
  methods: Set<string>;
}

/** Figures merged over several runs' sample files: every request counted once, percentiles over all of them. */
export interface MergedSamples {
  requests: number;
  failed: number;
  latency: Latency | null;
  endpoints: EndpointResults[];
}

/** k6's percentile, from toolkit/stats (kept importable from here for the pipeline's callers). */
export { percentile };

const INTERVAL_OF = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 } as const;

/** 95 % order-statistic intervals of the percentiles (toolkit/stats), from the sorted samples. */
function intervalsOf(sorted: Float64Array): NonNullable<Latency['intervals']> {
  const out: NonNullable<Latency['intervals']> = {};
  for (const [key, p] of Object.entries(INTERVAL_OF) as Array<[keyof typeof INTERVAL_OF, number]>) {
    const e = quantileEstimate(sorted, p);
    if (e) out[key] = { lo: e.lo, hi: e.hi, confidence: e.confidence, n: e.n };
  }
  return out;
}

/** The latency summary of a set of durations (ms), or null when there are none; with intervals and a histogram. */
export function latencyOf(values: number[]): Latency | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    avg: sum / sorted.length,
    min: sorted[0] ?? 0,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    intervals: intervalsOf(sorted),
    histogram: histogramOf(sorted),
  };
}

interface PointLine {
  type?: string;
  metric?: string;
  data?: { value?: number; tags?: Record<string, string> };
}

/** Reads NDJSON sample files (k6's --out json) and merges their HTTP samples per `name` tag. */
export async function mergeSampleFiles(files: string[], durationSeconds: number): Promise<MergedSamples> {
  const byName = new Map<string, EndpointAcc>();
  const all: number[] = [];
  let failed = 0;
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.includes('"Point"') || !(line.includes('"http_req_duration"') || line.includes('"http_req_failed"')))
        continue;
      const point = JSON.parse(line) as PointLine;
      const tags = point.data?.tags ?? {};
      const value = point.data?.value ?? 0;
      const name = tags.name ?? tags.url ?? 'unnamed';
      let acc = byName.get(name);
      if (!acc) byName.set(name, (acc = { durations: [], failed: 0, methods: new Set() }));
      if (point.metric === 'http_req_duration') {
        acc.durations.push(value);
        all.push(value);
        if (tags.method) acc.methods.add(tags.method);
      } else if (point.metric === 'http_req_failed' && value === 1) {
        acc.failed += 1;
        failed += 1;
      }
    }
  }
  const endpoints: EndpointResults[] = [];
  for (const [name, acc] of [...byName].sort((a, b) => b[1].durations.length - a[1].durations.length)) {
    const latency = latencyOf(acc.durations);
    if (!latency) continue;
    const count = acc.durations.length;
    const method = acc.methods.size === 1 ? [...acc.methods][0] : undefined;
    endpoints.push({
      name,
      ...(method ? { method } : {}),
      count,
      rps: durationSeconds > 0 ? count / durationSeconds : null,
      errorRate: acc.failed / count,
      latency,
    });
  }
  return { requests: all.length, failed, latency: latencyOf(all), endpoints };
}
