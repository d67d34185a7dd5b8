/**
 * The stages after measuring, each handing off a file: results.json (as soon
 * as measuring ends), then verdicts.json, then the report. A later stage that
 * fails leaves the earlier files and says how to rebuild the rest from them.
 */
import path from 'node:path';
import { evaluateBudget, type loadBudget } from '../budgets/index.ts';
import { ToolkitError } from '../errors.ts';
import { loadReportAssets, writeReport, type WriteReportOptions } from '../report/index.ts';
import { validateResults, writeJsonAtomic, type Results, type Verdicts } from '../results/index.ts';
import type { LoadtestConfig } from './types.ts';
import { shownPath } from './run-meta.ts';
import { failedPointers } from './parts.ts';

/** What judging a run needs, loaded before anything is started so that a bad budget costs no measurement. */
export interface Judging {
  budget: ReturnType<typeof loadBudget>;
  baseline: Results | undefined;
  baselineFile: string | undefined;
}

/** Writes a run's report files; replaceable so tests can make the report stage fail. */
export type ReportWriter = (options: WriteReportOptions) => unknown;

/** Budget parts this run was told not to measure: skipped in the verdicts rather than failed as missing. */
function skippedParts(config: LoadtestConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const imported = config.importNdjson.length > 0;
  if (!config.lighthouse.enabled || imported)
    out['/frontend/lighthouse'] = imported ? 'imported k6 results' : '--no-lighthouse';
  if (!config.bundle.enabled) Object.assign(out, { '/bundle': '--no-bundle', '/frontend/bundleSize': '--no-bundle' });
  if (imported)
    Object.assign(out, {
      '/database': 'imported k6 results',
      '/cache': 'imported k6 results',
      '/frontend/loadTime': 'imported k6 results',
      '/frontend/renderTime': 'imported k6 results',
    });
  return out;
}

/** The commands that rebuild what a failed stage did not write. */
function rebuildHint(config: LoadtestConfig, judging: Judging, resultsFile: string, judged: boolean): string {
  const shown = (f: string): string => shownPath(config.root, f);
  const results = shown(resultsFile);
  const check =
    `npm run budgets -- check --results ${results} --budget ${shown(config.budgetPath)}` +
    (judging.baselineFile ? ` --baseline ${shown(judging.baselineFile)}` : '');
  const out = path.resolve(config.root, 'reports') === config.outDir ? '' : ` --out ${shown(config.outDir)}`;
  const report = `npm run report -- --from ${results}${out}`;
  return judged ? `rebuild the report: ${report}` : `rebuild the rest: ${check} --write`;
}

function stageFailed(what: string, err: unknown, saved: string, fix: string): ToolkitError {
  const reason =
    err instanceof ToolkitError
      ? `${err.code}: ${err.message}`
      : `${(err as Error).message ?? String(err)} (a bug, please report it)`;
  return new ToolkitError('STAGE_FAILED', `${what} failed: ${reason}\nthe measurements are kept: ${saved}`, {
    fix,
    cause: err,
  });
}

/**
 * Writes results.json. Results that miss the schema (a bug) are written all the same, so that the
 * measurement is not lost, and then reported.
 */
export function saveResults(file: string, results: Results): void {
  let problem: unknown;
  try {
    validateResults(results, file);
  } catch (err) {
    problem = err;
  }
  writeJsonAtomic(file, results);
  if (problem) throw problem;
}

/** Budgets → verdicts.json beside results.json. */
export function judgeRun(config: LoadtestConfig, results: Results, judging: Judging, runDir: string): Verdicts {
  const resultsFile = path.join(runDir, 'results.json');
  try {
    const verdicts = evaluateBudget(results, judging.budget, {
      ...(judging.baseline
        ? { baseline: judging.baseline, baselineSource: shownPath(config.root, judging.baselineFile ?? '') }
        : {}),
      skipped: skippedParts(config),
      failed: failedPointers(results.meta.failedParts ?? []),
    });
    writeJsonAtomic(path.join(runDir, 'verdicts.json'), verdicts);
    return verdicts;
  } catch (err) {
    const saved = shownPath(config.root, resultsFile);
    throw stageFailed('judging the budgets', err, saved, rebuildHint(config, judging, resultsFile, false));
  }
}

/** The report folder: index.html, junit.xml, summary.md and the runs' index, written atomically by the writer. */
export function reportRun(
  config: LoadtestConfig,
  results: Results,
  verdicts: Verdicts,
  judging: Judging,
  write: ReportWriter = writeReport,
): void {
  const runDir = path.join(config.outDir, results.meta.id);
  try {
    write({
      outRoot: config.outDir,
      results,
      verdicts,
      assets: loadReportAssets(),
      ...(judging.baseline ? { baseline: judging.baseline } : {}),
      env: { GITHUB_STEP_SUMMARY: config.githubStepSummary },
    });
  } catch (err) {
    const resultsFile = path.join(runDir, 'results.json');
    const saved = `${shownPath(config.root, resultsFile)} and verdicts.json (${verdicts.outcome.toUpperCase()})`;
    throw stageFailed('writing the report', err, saved, rebuildHint(config, judging, resultsFile, true));
  }
}
