/** The end of a built-in run: final thresholds, summary data, handleSummary or the text summary, output files. */
import { resolve } from 'node:path';
import {
  buildSummaryData,
  evaluateThresholds,
  formatSummaryExport,
  K6_EXIT_CODE,
  renderTextSummary,
  type K6SummaryData,
  type RunOutcome,
} from '../k6-core/index.ts';
import type { BuiltinEngine } from './engine.ts';
import { writeFileMkdir, writeHandleSummaryResult } from './outputs.ts';

async function summarise(engine: BuiltinEngine, data: K6SummaryData): Promise<void> {
  const { opts, stdout, stderr, cwd } = engine;
  const vu = engine.initVu;
  const hasHandler = vu !== null && !vu.exited;
  if (hasHandler) {
    const r = await vu.run({ t: 'summary', data });
    if (r.t === 'result' && r.ok && r.value !== undefined && r.value !== null) {
      await writeHandleSummaryResult(r.value, cwd, stdout, stderr);
      return;
    }
    if (r.t === 'result' && !r.ok)
      engine.log('error', `handleSummary() failed with error "${r.error ?? ''}", falling back to the default summary`, {
        source: 'stacktrace',
      });
  }
  if (!opts.noSummary) stdout.write(renderTextSummary(data, { colors: false }) + '\n');
}

export async function finishRun(engine: BuiltinEngine): Promise<RunOutcome> {
  const durationMs = (engine.testEnd || Date.now()) - engine.testStart;
  const thresholds = evaluateThresholds(engine.registry, engine.specs, { elapsedMs: durationMs, final: true });
  const data = buildSummaryData({
    registry: engine.registry,
    thresholds,
    specs: engine.specs,
    summaryTrendStats: engine.plan.summaryTrendStats,
    summaryTimeUnit: typeof engine.plan.options.summaryTimeUnit === 'string' ? engine.plan.options.summaryTimeUnit : '',
    testRunDurationMs: durationMs,
    isStdOutTTY: Boolean(engine.stdout.isTTY),
    isStdErrTTY: Boolean(engine.stderr.isTTY),
    noColor: true,
  });
  const out: RunOutcome = {
    exitCode: 0,
    engine: 'builtin',
    httpTransport: engine.httpTransport,
    summary: data,
    thresholds,
    timeseries: engine.perSecond.series(),
    durationMs,
    aborted: engine.stopReason,
  };
  await summarise(engine, data);
  await writeFiles(engine, data, out);
  const failed = thresholds.some((t) => !t.ok);
  out.exitCode = engine.stopCode ?? (failed ? K6_EXIT_CODE.thresholdsFailed : K6_EXIT_CODE.ok);
  if (engine.stopCode === K6_EXIT_CODE.scriptAborted || engine.stopCode === K6_EXIT_CODE.externalAbort)
    out.exitCode = failed ? K6_EXIT_CODE.thresholdsFailed : engine.stopCode;
  if (failed && engine.stopCode === null)
    engine.log(
      'error',
      `thresholds on metrics '${[...new Set(thresholds.filter((t) => !t.ok).map((t) => t.metric))].join(', ')}' have been crossed`,
    );
  return out;
}

async function writeFiles(engine: BuiltinEngine, data: K6SummaryData, out: RunOutcome): Promise<void> {
  const { opts, cwd } = engine;
  const inOut = (name: string): string | undefined => (opts.outDir ? resolve(cwd, opts.outDir, name) : undefined);
  const exportPath = opts.summaryExport ? resolve(cwd, opts.summaryExport) : inOut('summary-export.json');
  if (exportPath) {
    await writeFileMkdir(exportPath, formatSummaryExport(data));
    out.summaryExportPath = exportPath;
  }
  const seriesPath = opts.timeseriesOut ? resolve(cwd, opts.timeseriesOut) : inOut('timeseries.json');
  if (seriesPath) {
    await writeFileMkdir(seriesPath, JSON.stringify(out.timeseries));
    out.timeseriesPath = seriesPath;
  }
  if (opts.jsonOut) out.ndjsonPath = resolve(cwd, opts.jsonOut);
}
