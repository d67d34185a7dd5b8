/**
 * The whole run: set-up → target up → scenarios (with samplers and a browser
 * under load) → Lighthouse → bundle → results.json → target down →
 * verdicts.json → report. Each stage hands off a file; a run folder is
 * removed only when nothing was measured.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM, ensureSystemPackages, type SystemPackageSpec } from '../setup/index.ts';
import { usageError } from '../errors.ts';
import { readResults, type Results, type RunMeta, type Verdicts } from '../results/index.ts';
import { loadBudget } from '../budgets/index.ts';
import { targetFromUrl, type Target } from '../target/index.ts';
import type { LoadtestConfig } from './types.ts';
import { checkScenarios, measureLoad } from './measure.ts';
import { measureBundle, measureFrontend } from './measure-browser.ts';
import { measureImported } from './import-k6.ts';
import { assembleResults } from './assemble.ts';
import { gitCommit, latestResults, newRunId, recordedConfig, shownPath, toolVersion } from './run-meta.ts';
import { judgeRun, reportRun, saveResults, type Judging, type ReportWriter } from './stages.ts';

/** What a finished run produced. */
export interface LoadtestOutcome {
  runId: string;
  runDir: string;
  results: Results;
  verdicts: Verdicts;
}

/** What runPipeline is given: the resolved configuration, a progress log, and what tests may replace. */
export interface PipelineContext {
  config: LoadtestConfig;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Writes the report files (default: the report stage's writeReport). */
  writeReport?: ReportWriter;
  /** Checks (and when allowed installs) the system packages the run needs (default: the set-up's apt installer). */
  installPackages?: PackageInstaller;
  /** Told the run's folder once it exists (the crash record keeps it). */
  onRunDir?: (dir: string) => void;
}

/** Makes sure system packages are installed before the run needs them. */
export type PackageInstaller = (packages: SystemPackageSpec[]) => void;

/** One run's folder and clock; `saved` once results.json is on disk. */
interface Run {
  id: string;
  dir: string;
  started: Date;
  saved: boolean;
}

/** The budget and the baseline, loaded before anything starts. */
function prepareJudging(config: LoadtestConfig, runId: string): Judging {
  const budget = loadBudget(shownPath(config.root, config.budgetPath), config.root);
  const baselineFile =
    config.baselinePath === 'latest'
      ? latestResults(config.outDir, runId)
      : config.baselinePath && path.resolve(config.root, config.baselinePath);
  const baseline = baselineFile ? readResults(baselineFile, config.root) : undefined;
  return { budget, baseline, baselineFile };
}

/** Chromium when a browser is part of the run, and what the provider's start needs. */
function neededPackages(config: LoadtestConfig): SystemPackageSpec[] {
  const browser = config.lighthouse.enabled || config.browserUnderLoad.enabled;
  return [...(browser ? [CHROMIUM] : []), ...(config.provider?.systemPackages ?? [])];
}

/** The target: the URL given (nothing started), or what the provider starts for the run. */
async function startTarget(ctx: PipelineContext, run: Run): Promise<Target> {
  const { config, log } = ctx;
  const { pages } = config.lighthouse;
  const install =
    ctx.installPackages ??
    ((packages) => ensureSystemPackages({ packages, env: config.processEnv, log, isRoot: process.getuid?.() === 0 }));
  install(neededPackages(config));
  const auth = config.auth ? { auth: config.auth } : {};
  if (config.target) return targetFromUrl(config.target, { pages, ...auth });
  if (!config.provider) throw usageError('no target to measure', 'give the URL of a running app with --target URL');
  return config.provider.start({
    root: config.root,
    env: config.processEnv,
    log,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    runId: run.id,
    runDir: run.dir,
    pages,
    ...auth,
    measurePass: (target, dir) => measurePass(ctx, run, target, dir),
  });
}

/** Another pass of the provider's (scenarios and samplers, no browser), assembled but not saved. */
async function measurePass(ctx: PipelineContext, run: Run, target: Target, dir: string): Promise<Results> {
  const { config, log } = ctx;
  // The browser under load belongs to the main pass only: in a compared pass it would add noise.
  const passConfig: LoadtestConfig = { ...config, browserUnderLoad: { ...config.browserUnderLoad, enabled: false } };
  const runStartMs = Date.now();
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const load = await measureLoad({ config: passConfig, target, runDir: dir, runStartMs, log, ...signal });
  const meta: RunMeta = {
    id: run.id,
    startedAt: new Date(runStartMs).toISOString(),
    endedAt: new Date().toISOString(),
    target: target.baseUrl,
    scenarios: load.scenarios.map((s) => s.name),
    engine: load.scenarios[0]?.outcome.engine ?? 'builtin',
    toolVersion: toolVersion(config.root),
    gitCommit: null,
    config: {},
  };
  return assembleResults({ meta, runStartMs, load, lighthouse: [], bundle: undefined });
}

/** Scenarios with the target's samplers, then Lighthouse and the bundle, assembled into the result model. */
async function measureTarget(ctx: PipelineContext, run: Run, target: Target): Promise<Results> {
  const { config, log } = ctx;
  log(`target ${target.baseUrl}`);
  const runStartMs = Date.now();
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const load = await measureLoad({ config, target, runDir: run.dir, runStartMs, log, ...signal });
  const lighthouse = await measureFrontend(ctx, target, run.dir);
  const bundle = await measureBundle(ctx, run.dir, target);
  const meta: RunMeta = {
    id: run.id,
    startedAt: run.started.toISOString(),
    endedAt: new Date().toISOString(),
    target: target.baseUrl,
    scenarios: load.scenarios.map((s) => s.name),
    engine: load.scenarios[0]?.outcome.engine ?? 'builtin',
    toolVersion: toolVersion(config.root),
    gitCommit: gitCommit(config.root),
    profile: config.ci ? 'ci' : 'default',
    config: recordedConfig(config, target.identity, target.auth?.email),
  };
  const results = await assembleResults({ meta, runStartMs, load, lighthouse, bundle });
  target.completeResults?.(results);
  return results;
}

/** Measures a local run and saves results.json before the target stops. */
async function measureRun(ctx: PipelineContext, run: Run): Promise<Results> {
  const target = await startTarget(ctx, run);
  try {
    const results = await measureTarget(ctx, run, target);
    save(run, results);
    return results;
  } finally {
    await target.stop().catch((err: unknown) => ctx.log(`  stopping failed: ${(err as Error).message}`));
  }
}

/** results.json: from here on the run folder stays, whatever fails later. */
function save(run: Run, results: Results): void {
  const file = path.join(run.dir, 'results.json');
  try {
    saveResults(file, results);
  } finally {
    run.saved = existsSync(file);
  }
}

/** Runs the pipeline; throws a catalogue error (exit 2) when a stage fails, naming what is kept. */
export async function runPipeline(ctx: PipelineContext): Promise<LoadtestOutcome> {
  const { config } = ctx;
  const started = new Date();
  const profile = config.importNdjson.length ? 'import' : config.ci ? 'ci' : 'default';
  const run: Run = { id: newRunId(started, profile, config.outDir), dir: '', started, saved: false };
  run.dir = path.join(config.outDir, run.id);
  const judging = prepareJudging(config, run.id);
  if (config.importNdjson.length === 0) await checkScenarios(config.root, config.scenarios);
  mkdirSync(run.dir, { recursive: true });
  ctx.onRunDir?.(run.dir);
  try {
    let results: Results;
    if (config.importNdjson.length > 0) {
      results = await measureImported(ctx, run);
      save(run, results);
    } else results = await measureRun(ctx, run);
    const verdicts = judgeRun(config, results, judging, run.dir);
    reportRun(config, results, verdicts, judging, ctx.writeReport);
    return { runId: run.id, runDir: run.dir, results, verdicts };
  } finally {
    if (!run.saved) rmSync(run.dir, { recursive: true, force: true });
  }
}
