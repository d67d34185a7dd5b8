import {
  fromK6Summary,
  RESULTS_SCHEMA_VERSION,
  type ApiResults,
  type BrowserSample,
  type BundleResults,
  type CacheResults,
  type FrontendResults,
  type LighthouseResult,
  type Phase,
  type ProcessUsage,
  type Results,
  type RunMeta,
  type TimePoint,
} from '../results/index.ts';
import type { SamplerPieces } from '../target/index.ts';
import type { LoadMeasurements, ScenarioRun } from './measure.ts';
import { mergeSampleFiles } from './samples.ts';
import { sampleSeries } from './sample-series.ts';

/** What the pipeline hands to the assembler besides the load measurements. */
export interface AssembleInput {
  meta: RunMeta;
  runStartMs: number;
  load: LoadMeasurements;
  lighthouse: LighthouseResult[];
  bundle: BundleResults | undefined;
}

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
async function mergedApi(
  runs: ScenarioRun[],
  parts: ConvertedRun[],
  runStartMs: number,
): Promise<ApiResults | undefined> {
  if (parts.length === 0) return undefined;
  const durationMs = parts.reduce((s, p) => s + (p.api?.durationMs ?? 0), 0);
  const files = runs.every((r) => r.sampleFiles.length > 0) ? runs.flatMap((r) => r.sampleFiles) : [];
  const merged = files.length ? await mergeSampleFiles(files, durationMs / 1000) : undefined;
  const series = files.length ? await sampleSeries(files, runStartMs) : undefined;
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
    ...(series?.endpointSeries.length ? series : {}),
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

/** Each scenario's span on the run's clock (seconds), for the report's phase bands. */
function phasesOf(runs: ScenarioRun[], runStartMs: number): Phase[] {
  const at = (ms: number): number => Math.max(0, Number(((ms - runStartMs) / 1000).toFixed(1)));
  return runs.flatMap((r) => {
    const first = r.outcome.timeseries[0]?.time;
    const startMs = r.span?.startMs ?? first;
    if (startMs === undefined) return [];
    const endMs = r.span?.endMs ?? startMs + r.outcome.durationMs;
    return [{ name: r.name, start: at(startMs), end: at(endMs) }];
  });
}

/** The samplers' pieces as one: the first sampler to measure a part gives it; resources add up. */
function mergePieces(pieces: SamplerPieces[]): SamplerPieces {
  const merged: SamplerPieces = {};
  const resources: ProcessUsage[] = [];
  for (const p of pieces) {
    // Database fields come from several samplers (the app's endpoint, a provider's own): the first to give one wins.
    if (p.database) merged.database = { ...p.database, ...merged.database };
    merged.cache ??= p.cache;
    merged.frontend ??= p.frontend;
    merged.scaling ??= p.scaling;
    resources.push(...(p.resources ?? []));
  }
  return { ...merged, resources };
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function frontendOf(input: AssembleInput, fromSnapshot: SamplerPieces['frontend']): FrontendResults | undefined {
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
  const pieces = mergePieces(input.load.pieces);
  const converted = convertRuns(runs);
  const k6Cache = converted.map((c) => c.cache).find((c) => c?.hitRatio != null);
  const api = await mergedApi(runs, converted, input.runStartMs);
  const frontend = frontendOf(input, pieces.frontend);
  const cache = pieces.cache ?? k6Cache;
  const timeSeries = timeSeriesOf(converted, input.runStartMs);
  const resources = pieces.resources ?? [];
  const { scaling } = pieces;
  const phases = phasesOf(runs, input.runStartMs);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    meta: input.meta,
    ...(pieces.database ? { database: pieces.database } : {}),
    ...(api ? { api } : {}),
    ...(frontend ? { frontend } : {}),
    ...(input.bundle ? { bundle: input.bundle } : {}),
    ...(cache ? { cache } : {}),
    ...(resources.length ? { resources } : {}),
    ...(timeSeries.length ? { timeSeries } : {}),
    ...(phases.length ? { phases } : {}),
    ...(scaling ? { scaling } : {}),
  };
}
