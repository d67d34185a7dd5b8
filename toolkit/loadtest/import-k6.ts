/**
 * --import-k6: results real k6 produced elsewhere (several k6-operator
 * runners' NDJSON files, merged) go through the same results → budgets →
 * report stages as a local run; no load is generated here.
 */
import { existsSync } from 'node:fs';
import { ToolkitError } from '../errors.ts';
import type { Results, RunMeta } from '../results/index.ts';
import { assembleResults } from './assemble.ts';
import type { LoadtestConfig } from './types.ts';
import { measureBundle } from './measure-browser.ts';
import type { LoadMeasurements, ScenarioRun } from './measure.ts';
import { gitCommit, recordedConfig, shownPath, toolVersion } from './run-meta.ts';

interface Ctx {
  config: LoadtestConfig;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** options.thresholds of the script the imported runs ran, read as the built-in runner reads options. */
async function scriptThresholds(config: LoadtestConfig, log: (line: string) => void): Promise<Record<string, unknown>> {
  const script = config.importScript!;
  if (!existsSync(script))
    throw new ToolkitError('FILE_NOT_FOUND', `--script: ${script} does not exist`, {
      fix: 'pass the k6 script the imported runs ran',
    });
  const { readScriptOptions } = await import('../engines.ts');
  const options = await readScriptOptions({ script, cwd: config.root, env: config.env });
  const thresholds = (options.thresholds ?? {}) as Record<string, unknown>;
  log(`  thresholds of ${shownPath(config.root, script)}: ${Object.keys(thresholds).join(', ') || 'none'}`);
  return thresholds;
}

/** Reads the imported sample files as one scenario run. */
export async function importLoad(config: LoadtestConfig, log: (line: string) => void): Promise<LoadMeasurements> {
  const { importK6Results } = await import('../k6/index.ts');
  for (const f of config.importNdjson) {
    if (!existsSync(f))
      throw new ToolkitError('FILE_NOT_FOUND', `--import-k6: ${f} does not exist`, {
        fix: 'pass the files written by `k6 run --out json=FILE`',
      });
  }
  log(`importing k6 results from ${config.importNdjson.length} sample file(s)…`);
  const thresholds = config.importScript ? await scriptThresholds(config, log) : undefined;
  if (!thresholds && !config.importSummaryExport)
    log(
      '  thresholds from the NDJSON Metric lines only (they list no sub-metric threshold): pass --script FILE to judge them all',
    );
  const outcome = await importK6Results({
    ndjson: config.importNdjson,
    ...(config.importSummaryExport ? { summaryExport: config.importSummaryExport } : {}),
    ...(thresholds ? { thresholds } : {}),
  });
  const failed = outcome.thresholds.filter((t) => !t.ok);
  log(
    `  ${outcome.thresholds.length} threshold(s) judged on the merged samples` +
      (failed.length ? `, crossed: ${failed.map((t) => `${t.metric} ${t.source}`).join(', ')}` : ', all ok'),
  );
  const run: ScenarioRun = {
    name: 'imported',
    script: config.importNdjson.join(','),
    outcome,
    outDir: '',
    sampleFiles: config.importNdjson,
  };
  return { scenarios: [run], pieces: [], browserSamples: [], failedParts: [] };
}

/** The imported run's results, on the clock of its first sample. */
export async function measureImported(ctx: Ctx, run: { id: string; dir: string; started: Date }): Promise<Results> {
  const { config, log } = ctx;
  const load = await importLoad(config, log);
  const label = config.target ?? 'imported k6 results';
  const meta: RunMeta = {
    id: run.id,
    startedAt: run.started.toISOString(),
    endedAt: new Date().toISOString(),
    target: label,
    scenarios: ['imported'],
    engine: 'k6',
    toolVersion: toolVersion(config.root),
    gitCommit: gitCommit(config.root),
    profile: 'import',
    config: {
      ...recordedConfig(config, { label, settings: {} }, undefined),
      imported: config.importNdjson.map((f) => shownPath(config.root, f)),
    },
  };
  const firstSample = load.scenarios[0]?.outcome.timeseries[0]?.time ?? Date.now();
  const bundle = await measureBundle(ctx, run.dir, undefined);
  return assembleResults({ meta, runStartMs: firstSample, load, lighthouse: [], bundle });
}
