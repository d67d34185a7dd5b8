import { availableParallelism } from 'node:os';
import {
  fromAutoscalingReadings,
  fromK6Summary,
  fromPerformanceSnapshot,
  RESULTS_SCHEMA_VERSION,
  type ApiResults,
  type BrowserSample,
  type BundleResults,
  type CacheResults,
  type DatabaseResults,
  type FrontendResults,
  type LighthouseResult,
  type ProcessUsage,
  type Results,
  type RunMeta,
  type TimePoint,
} from '../results/index.ts';
import type { LoadMeasurements, ScenarioRun } from './measure.ts';
import { mergeSampleFiles } from './samples.ts';
import type { ResourceSample } from './resources.ts';
import type { PerformanceReading } from './performance-sampler.ts';

/** What the pipeline hands to the assembler besides the load measurements. */
export interface AssembleInput {
  meta: RunMeta;
  runStartMs: number;
  load: LoadMeasurements;
  lighthouse: LighthouseResult[];
  bundle: BundleResults | undefined;
  log: (line: string) => void;
}

const ROLES: Record<string, ProcessUsage['role']> = {
  app: 'app',
  upstream: 'other',
  'postgres-primary': 'database',
  'postgres-replica': 'database',
  redis: 'cache',
  machine: 'other',
};

/** A scenario run with its k6 summary converted to the model (api, per-second series, cache), once. */
interface ConvertedRun {
  run: ScenarioRun;
  api: ApiResults | undefined;
  timeSeries: TimePoint[];
  cache: CacheResults | undefined;
}

function convertRuns(runs: ScenarioRun[]): ConvertedRun[] {
  return runs.flatMap((run) => {
    if (!run.outcome.summary) return [];
    const part = fromK6Summary(run.outcome.summary, run.outcome.timeseries);
    return [{ run, api: part.api, timeSeries: part.timeSeries ?? [], cache: part.cache }];
  });
}

/** Every scenario's api part merged: requests and percentiles over all samples, checks and thresholds labelled by scenario. */
async function mergedApi(runs: ScenarioRun[], parts: ConvertedRun[]): Promise<ApiResults | undefined> {
  if (parts.length === 0) return undefined;
  const durationMs = parts.reduce((s, p) => s + (p.api?.durationMs ?? 0), 0);
  const merged = runs.every((r) => r.sampleFiles.length > 0)
    ? await mergeSampleFiles(
        runs.flatMap((r) => r.sampleFiles),
        durationMs / 1000,
      )
    : undefined;
  const sum = (pick: (a: ApiResults) => number | undefined): number =>
    parts.reduce((s, p) => s + (p.api ? (pick(p.api) ?? 0) : 0), 0);
  const requests = merged?.requests ?? sum((a) => a.requests);
  const first = parts[0]?.api;
  return {
    responseTime: merged?.latency?.avg ?? first?.responseTime ?? null,
    throughput: durationMs > 0 ? requests / (durationMs / 1000) : null,
    errorRate: merged ? (merged.requests > 0 ? merged.failed / merged.requests : 0) : (first?.errorRate ?? null),
    requests,
    durationMs,
    latency: merged?.latency ?? first?.latency ?? null,
    endpoints: merged?.endpoints ?? first?.endpoints ?? [],
    checks: parts.flatMap(({ run, api }) => (api?.checks ?? []).map((c) => ({ ...c, path: `${run.name}${c.path}` }))),
    thresholds: parts.flatMap(({ run, api }) =>
      (api?.thresholds ?? []).map((t) => ({ ...t, metric: `[${run.name}] ${t.metric}` })),
    ),
    iterations: sum((a) => a.iterations),
    dataReceivedBytes: sum((a) => a.dataReceivedBytes),
    dataSentBytes: sum((a) => a.dataSentBytes),
    vusMax: Math.max(...parts.map((p) => p.api?.vusMax ?? 0)),
  };
}

/** The scenarios' per-second series on one clock: seconds since the run started. */
function timeSeriesOf(parts: ConvertedRun[], runStartMs: number): TimePoint[] {
  return parts.flatMap(({ run, timeSeries }) => {
    const firstAt = run.outcome.timeseries[0]?.time ?? runStartMs;
    const offset = Math.max(0, Math.round((firstAt - runStartMs) / 1000));
    return timeSeries.map((p) => ({ ...p, t: p.t + offset }));
  });
}

function resourcesOf(samples: ResourceSample[], runStartMs: number): ProcessUsage[] {
  const cores = availableParallelism();
  const byName = new Map<string, ProcessUsage>();
  const add = (
    name: string,
    t: number,
    cpu: number,
    rssBytes: number,
    extra: { diskBytes?: number; usedMemoryBytes?: number } = {},
  ): void => {
    let usage = byName.get(name);
    if (!usage)
      byName.set(
        name,
        (usage = { name, role: ROLES[name] ?? (name.startsWith('postgres-') ? 'database' : 'other'), samples: [] }),
      );
    usage.samples.push({ t, cpu: Math.max(0, cpu * 100), rssBytes, ...extra });
  };
  for (const s of samples) {
    const t = Math.max(0, (s.t - runStartMs) / 1000);
    add('machine', t, s.cpu * cores, s.memUsed);
    for (const [name, p] of Object.entries(s.processes)) {
      // Data folders and self-reported memory are keyed by the same process-group names.
      const disk = s.disk[name];
      const used = s.usedMemory[name];
      if (p.rss > 0)
        add(name, t, p.cpu, p.rss, {
          ...(disk !== undefined ? { diskBytes: disk } : {}),
          ...(used !== undefined ? { usedMemoryBytes: used } : {}),
        });
    }
  }
  return [...byName.values()];
}

function snapshotParts(
  readings: PerformanceReading[],
  log: (l: string) => void,
): { database?: DatabaseResults; frontend?: FrontendResults; cache?: CacheResults } {
  const last = readings[readings.length - 1];
  if (!last) return {};
  try {
    const part = fromPerformanceSnapshot(last.body);
    const peak = Math.max(
      ...readings.map((r) =>
        Number((r.body as { database?: { connectionCount?: number } }).database?.connectionCount ?? 0),
      ),
    );
    if (part.database.connectionCount !== null)
      part.database.connectionCount = Math.max(part.database.connectionCount, Math.round(peak));
    return part;
  } catch (err) {
    log(`  /api/performance answered in an unexpected shape, database figures skipped: ${(err as Error).message}`);
    return {};
  }
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function frontendOf(input: AssembleInput, fromSnapshot: FrontendResults | undefined): FrontendResults | undefined {
  const samples: BrowserSample[] = input.load.browserSamples.map((s) => ({
    t: Math.max(0, (s.startedAt - input.runStartMs) / 1000),
    page: new URL(s.url).pathname,
    loadTime: s.loadTime,
    renderTime: s.renderTime,
    lcp: s.lcp,
    fcp: s.fcp,
    ttfb: s.ttfb,
    cls: s.cls,
    ...(s.error ? { error: s.error } : {}),
  }));
  if (!fromSnapshot && samples.length === 0 && input.lighthouse.length === 0 && !input.bundle) return undefined;
  const ok = samples.filter((s) => !s.error);
  return {
    loadTime: fromSnapshot?.loadTime ?? median(ok.flatMap((s) => (s.loadTime === null ? [] : [s.loadTime]))),
    renderTime: fromSnapshot?.renderTime ?? median(ok.flatMap((s) => (s.renderTime === null ? [] : [s.renderTime]))),
    bundleSize: input.bundle?.initialJs.gzip ?? fromSnapshot?.bundleSize ?? null,
    lighthouse: input.lighthouse,
    browserSamples: samples,
  };
}

/** Builds results.json's content from everything the run measured. */
export async function assembleResults(input: AssembleInput): Promise<Results> {
  const runs = input.load.scenarios;
  const snapshot = snapshotParts(input.load.performance, input.log);
  const converted = convertRuns(runs);
  const k6Cache = converted.map((c) => c.cache).find((c) => c?.hitRatio != null);
  const api = await mergedApi(runs, converted);
  const frontend = frontendOf(input, snapshot.frontend);
  const cache = snapshot.cache ?? k6Cache;
  const timeSeries = timeSeriesOf(converted, input.runStartMs);
  const resources = resourcesOf(input.load.resources, input.runStartMs);
  const scaling = fromAutoscalingReadings(input.load.performance, input.runStartMs);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    meta: input.meta,
    ...(snapshot.database ? { database: snapshot.database } : {}),
    ...(api ? { api } : {}),
    ...(frontend ? { frontend } : {}),
    ...(input.bundle ? { bundle: input.bundle } : {}),
    ...(cache ? { cache } : {}),
    ...(resources.length ? { resources } : {}),
    ...(timeSeries.length ? { timeSeries } : {}),
    ...(scaling ? { scaling } : {}),
  };
}
