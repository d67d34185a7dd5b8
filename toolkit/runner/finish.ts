/** The end of a built-in run: final thresholds, summary data, handleSummary or the text summary, output files. */
import { resolve } from 'node:path';
import {
  buildSummaryData,
  evaluateThresholds,
  formatSummaryExport,
  K6_EXIT_CODE,
  renderTextSummary,
  type K6SummaryData,
  type PerSecondPoint,
  type RunOutcome,
} from '../k6-core/index.ts';
import type { Log } from './log.ts';
import type { ProgressWriter } from './progress.ts';
import { writeFileMkdir, writeHandleSummaryResult } from './outputs.ts';
import type { PreparedRun } from './prepare.ts';
import type { BuiltinOptions } from './run-options.ts';
import type { SampleSink } from './sample-sink.ts';
import type { TestWindow } from './scenarios.ts';
import type { StopController } from './stop-controller.ts';

/** What finishing a run reads. */
export interface FinishInput {
  opts: BuiltinOptions;
  prepared: PreparedRun;
  sink: SampleSink;
  stop: StopController;
  log: Log;
  window: TestWindow;
  progress: ProgressWriter;
  /** setup()'s return value as JSON (null: none), for the summary's setup_data. */
  setupJson: string | null;
}

/** Judges the thresholds, hands the summary to handleSummary (or prints k6's), writes the files, picks the exit code. */
export async function finish(input: FinishInput): Promise<RunOutcome> {
  const { opts, prepared, sink, stop, log } = input;
  const durationMs = input.window.durationMs;
  const thresholds = evaluateThresholds(sink.registry, prepared.specs, { elapsedMs: durationMs, final: true });
  const data = buildSummaryData({
    registry: sink.registry,
    thresholds,
    specs: prepared.specs,
    summaryTrendStats: prepared.plan.summaryTrendStats,
    summaryTimeUnit:
      typeof prepared.plan.options.summaryTimeUnit === 'string' ? prepared.plan.options.summaryTimeUnit : '',
    testRunDurationMs: durationMs,
    isStdOutTTY: Boolean(opts.stdout.isTTY),
    isStdErrTTY: Boolean(opts.stderr.isTTY),
    noColor: true,
    setupJson: input.setupJson,
  });
  const timeseries = sink.series();
  // k6 2.x: --summary-mode=disabled skips handleSummary, the text summary and --summary-export alike.
  const summaryOn = opts.summaryMode !== 'disabled';
  if (summaryOn) await summarise(input, data);
  input.progress.flush();
  const files = await writeFiles(opts, data, timeseries, summaryOn);
  const failed = thresholds.some((t) => !t.ok);
  if (failed && stop.code === null) {
    // k6 names the crossed metrics sorted (metrics/engine: sort.Strings).
    const names = [...new Set(thresholds.filter((t) => !t.ok).map((t) => t.metric))].sort();
    log('error', `thresholds on metrics '${names.join(', ')}' have been crossed`);
  }
  return {
    exitCode: exitCode(stop.code, failed),
    engine: 'builtin',
    httpTransport: prepared.httpTransport,
    vuModel: prepared.vuModel,
    summary: data,
    thresholds,
    timeseries,
    durationMs,
    aborted: stop.reason,
    ...files,
  };
}

/**
 * k6's exit code: the stop's own code, except that failed thresholds win over an abort by the
 * script or from outside; without a stop, 99 when a threshold failed.
 */
function exitCode(stopCode: number | null, thresholdsFailed: boolean): number {
  if (stopCode === K6_EXIT_CODE.scriptAborted || stopCode === K6_EXIT_CODE.externalAbort)
    return thresholdsFailed ? K6_EXIT_CODE.thresholdsFailed : stopCode;
  return stopCode ?? (thresholdsFailed ? K6_EXIT_CODE.thresholdsFailed : K6_EXIT_CODE.ok);
}

async function summarise(input: FinishInput, data: K6SummaryData): Promise<void> {
  const { opts, log } = input;
  const vu = input.prepared.initVu;
  if (!vu.exited) {
    const r = await vu.run({ t: 'summary', data });
    if (r.t === 'result' && r.ok && r.value !== undefined && r.value !== null) {
      await writeHandleSummaryResult(r.value, opts.cwd, opts.stdout, opts.stderr);
      return;
    }
    if (r.t === 'result' && !r.ok)
      log('error', `handleSummary() failed with error "${r.error ?? ''}", falling back to the default summary`, {
        source: 'stacktrace',
      });
  }
  if (opts.noSummary) return;
  const full = opts.summaryMode === 'full';
  const breakdown = full ? input.sink.registry.breakdown : undefined;
  opts.stdout.write(renderTextSummary(data, { colors: false, mode: full ? 'full' : 'compact', breakdown }));
}

type OutcomeFiles = Pick<RunOutcome, 'summaryExportPath' | 'timeseriesPath' | 'ndjsonPath'>;

async function writeFiles(
  opts: BuiltinOptions,
  data: K6SummaryData,
  series: PerSecondPoint[],
  withExport: boolean,
): Promise<OutcomeFiles> {
  const { cwd } = opts;
  const files: OutcomeFiles = {};
  const inOut = (name: string): string | undefined => (opts.outDir ? resolve(cwd, opts.outDir, name) : undefined);
  const exportPath = opts.summaryExport ? resolve(cwd, opts.summaryExport) : inOut('summary-export.json');
  if (exportPath && withExport) {
    await writeFileMkdir(exportPath, formatSummaryExport(data));
    files.summaryExportPath = exportPath;
  }
  const seriesPath = opts.timeseriesOut ? resolve(cwd, opts.timeseriesOut) : inOut('timeseries.json');
  if (seriesPath) {
    await writeFileMkdir(seriesPath, JSON.stringify(series));
    files.timeseriesPath = seriesPath;
  }
  if (opts.jsonOut) files.ndjsonPath = resolve(cwd, opts.jsonOut);
  return files;
}
