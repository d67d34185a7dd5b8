/**
 * importK6Results: merges the NDJSON sample files of one or several k6
 * instances (k6-operator parallelism) and judges thresholds on the combined data.
 */
import { readFile } from 'node:fs/promises';
import { ToolkitError } from '../errors.ts';
import {
  buildSummaryData,
  evaluateThresholds,
  K6_EXIT_CODE,
  parseThresholds,
  type ThresholdResult,
  type ThresholdSpec,
  type RunOutcome,
} from '../k6-core/index.ts';
import { replayNdjson, scanMetricLines } from './ndjson.ts';

/** Inputs of importK6Results. */
export interface ImportK6Options {
  /** k6 `--out json` files; samples from all of them are combined. */
  ndjson: string[];
  /** A k6 --summary-export file, for the threshold list (sub-metric thresholds are not in NDJSON Metric lines). */
  summaryExport?: string;
  /**
   * Thresholds as in options.thresholds (the script's own: tagged sub-metrics and abortOnFail included);
   * default: those named by summaryExport, else the NDJSON Metric lines (which lack sub-metric thresholds).
   */
  thresholds?: Record<string, unknown>;
  summaryTrendStats?: string[];
}

/** Threshold sources per metric from a --summary-export file (`metrics[m].thresholds` keys). */
export async function thresholdsFromSummaryExport(path: string): Promise<Record<string, string[]>> {
  let parsed: { metrics?: Record<string, { thresholds?: Record<string, boolean> }> };
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as typeof parsed;
  } catch (err) {
    throw new ToolkitError(
      'RESULTS_INVALID',
      `${path}: not a readable k6 --summary-export file (${(err as Error).message})`,
      {
        fix: 'pass the file written by `k6 run --summary-export FILE`',
        cause: err,
      },
    );
  }
  const out: Record<string, string[]> = {};
  for (const [name, m] of Object.entries(parsed.metrics ?? {})) if (m.thresholds) out[name] = Object.keys(m.thresholds);
  return out;
}

/** Where an import's thresholds come from: the script, else the summary export, else the NDJSON Metric lines. */
function importThresholds(
  script: Record<string, unknown> | undefined,
  fromExport: Record<string, string[]>,
  fromNdjson: Record<string, string[]>,
): Record<string, unknown> {
  if (script) return script;
  return Object.keys(fromExport).length > 0 ? fromExport : fromNdjson;
}

/** Merges the samples of every NDJSON file, then judges the thresholds on the merged data (exit 99 if any fails). */
export async function importK6Results(opts: ImportK6Options): Promise<RunOutcome> {
  if (opts.ndjson.length === 0)
    throw new ToolkitError('USAGE', 'importK6Results needs at least one NDJSON file', {
      fix: 'pass ndjson: ["k6-0.ndjson", …]',
    });
  const fromExport = opts.summaryExport ? await thresholdsFromSummaryExport(opts.summaryExport) : {};
  // Custom metrics must be defined before thresholds on them are parsed: scan the Metric lines first.
  const scan = await scanMetricLines(opts.ndjson);
  const thresholds = importThresholds(opts.thresholds, fromExport, scan.thresholds);
  let specs: ThresholdSpec[] = [];
  const replay = await replayNdjson(opts.ndjson, (registry) => {
    for (const def of scan.defs) if (!registry.get(def.name)) registry.define(def);
    specs = parseThresholds(thresholds, registry);
  });
  const durationMs = Number.isFinite(replay.firstTime) ? replay.lastTime - replay.firstTime : 0;
  const results: ThresholdResult[] = evaluateThresholds(replay.registry, specs, { elapsedMs: durationMs, final: true });
  const summary = buildSummaryData({
    registry: replay.registry,
    thresholds: results,
    specs,
    summaryTrendStats: opts.summaryTrendStats ?? [],
    testRunDurationMs: durationMs,
    isStdOutTTY: false,
    isStdErrTTY: false,
    noColor: true,
  });
  return {
    exitCode: results.some((r) => !r.ok) ? K6_EXIT_CODE.thresholdsFailed : K6_EXIT_CODE.ok,
    engine: 'k6',
    summary,
    thresholds: results,
    timeseries: replay.perSecond.series(),
    durationMs,
    aborted: null,
  };
}
