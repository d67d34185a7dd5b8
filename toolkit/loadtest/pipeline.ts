/**
 * The whole run: set-up → target up → scenarios (with samplers and a browser
 * under load) → Lighthouse → bundle → results.json → target down →
 * verdicts.json → report. Each stage hands off a file; a run folder is
 * removed only when nothing was measured.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM, ensureSystemPackages, type SystemPackageSpec } from '../setup/index.ts';
import { interruptedError, signalOf, usageError } from '../errors.ts';
import {
  describeMachine,
  type Interruption,
  type Results,
  type RunIdentity,
  type RunMeta,
  type Verdicts,
} from '../results/index.ts';
import { loadBudget } from '../budgets/index.ts';
import { targetFromUrl, type Target } from '../target/index.ts';
import type { LoadtestConfig } from './types.ts';
import { checkScenarios, measureLoad } from './measure.ts';
import { measureBundle, measureFrontend } from './measure-browser.ts';
import { measureImported } from './import-k6.ts';
import { assembleResults } from './assemble.ts';
import { engineMeta, gitCommit, recordedConfig, shownPath, toolVersion } from './run-meta.ts';
import { newRunId } from './run-name.ts';
import { chooseBaseline, readBaselineFile } from './baseline.ts';
import { runIdentityOf } from './identity-of.ts';
import { machineFacts, startHealthSampler } from './health.ts';
import { guardPart } from './parts.ts';
import type { StatusStream } from './progress.ts';
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
  /** Where running scenarios show their live status (a terminal: one line in place; else a line every 10 s). */
  status?: StatusStream;
  /** Told the run's folder once it exists (the crash record keeps it). */
  onRunDir?: (dir: string) => void;
}

/** Makes sure system packages are installed before the run needs them. */
export type PackageInstaller = (packages: SystemPackageSpec[]) => void;

/** One run's folder, clock and profile; `saved` once results.json is on disk. */
interface Run {
  id: string;
  dir: string;
  started: Date;
  profile: string;
  saved: boolean;
  judging: Judging;
  /** Known once the target is (the target's label is part of it). */
  identity?: RunIdentity;
}

/** The budget and an explicit baseline file, loaded before anything starts: a bad file costs no measurement. */
function prepareJudging(config: LoadtestConfig): Judging {
  const budget = loadBudget(shownPath(config.root, config.budgetPath), config.root);
  return { budget, baseline: readBaselineFile(config), baselineFile: undefined };
}

/** The run's identity, and the baseline comparable with it (refused with exit 2 when an explicit one is not). */
function identify(ctx: PipelineContext, run: Run, targetLabel: string): RunIdentity {
  const identity = runIdentityOf(ctx.config, targetLabel, run.profile);
  const choice = chooseBaseline(ctx.config, identity, run.id, run.judging.baseline);
  if (choice.note) ctx.log(choice.note);
  run.judging = { ...run.judging, baseline: choice.baseline, baselineFile: choice.baselineFile };
  run.identity = identity;
  return identity;
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
  const signal = { ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.status ? { status: ctx.status } : {}) };
  const load = await measureLoad({ config: passConfig, target, runDir: dir, runStartMs, log, ...signal });
  const meta: RunMeta = {
    id: run.id,
    startedAt: new Date(runStartMs).toISOString(),
    endedAt: new Date().toISOString(),
    target: target.baseUrl,
    scenarios: load.scenarios.map((s) => s.name),
    ...engineMeta(load),
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
  const signal = { ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.status ? { status: ctx.status } : {}) };
  const health = startHealthSampler();
  const load = await measureLoad({ config, target, runDir: run.dir, runStartMs, log, ...signal }).catch(
    (err: unknown) => {
      health.stop();
      throw err;
    },
  );
  let interruption: Interruption | undefined = load.interrupted && {
    signal: signalOf(ctx.signal?.reason),
    scenario: load.interrupted.scenario,
    stage: 'scenarios',
  };
  if (interruption && load.scenarios.length === 0) throw interruptedError(signalOf(ctx.signal?.reason));
  const failed = [...load.failedParts];
  /** A part after the load: not started once a signal came; one a signal cut short is left out, one that failed alone recorded. */
  const part = async <T>(name: 'lighthouse' | 'bundle', measure: () => Promise<T>): Promise<T | undefined> => {
    if (interruption) return undefined;
    try {
      return await guardPart(name, failed, log, ctx.signal, measure);
    } catch (err) {
      if (!ctx.signal?.aborted) throw err;
      interruption = { signal: signalOf(ctx.signal.reason), scenario: null, stage: name };
      return undefined;
    }
  };
  const frontend = await part('lighthouse', () => measureFrontend(ctx, target, run.dir));
  const bundle = await part('bundle', () => measureBundle(ctx, run.dir, target));
  if (ctx.signal?.aborted && !interruption)
    interruption = { signal: signalOf(ctx.signal.reason), scenario: null, stage: 'bundle' };
  const { warnings } = health.stop();
  const machine = machineFacts({
    ...(run.identity?.engine === 'k6' && run.identity.engineVersion ? { k6: run.identity.engineVersion } : {}),
    ...frontend?.machine,
  });
  log(`machine: ${describeMachine(machine)}`);
  for (const w of warnings) log(`measurement warning: ${w.message}`);
  const meta: RunMeta = {
    id: run.id,
    startedAt: run.started.toISOString(),
    endedAt: new Date().toISOString(),
    target: target.baseUrl,
    scenarios: load.scenarios.map((s) => s.name),
    ...engineMeta(load),
    toolVersion: toolVersion(config.root),
    gitCommit: gitCommit(config.root),
    profile: run.profile,
    ...(failed.length ? { failedParts: failed } : {}),
    config: recordedConfig(config, target.identity, target.auth?.email),
    ...(run.identity ? { identity: run.identity } : {}),
    status: interruption ? 'interrupted' : 'complete',
    ...(interruption ? { interruption } : {}),
    machine,
  };
  const results = await assembleResults({ meta, runStartMs, load, lighthouse: frontend?.lighthouse ?? [], bundle });
  if (warnings.length) results.measurementWarnings = warnings;
  target.completeResults?.(results);
  return results;
}

/** Measures a local run and saves results.json before the target stops. */
async function measureRun(ctx: PipelineContext, run: Run): Promise<Results> {
  const target = await startTarget(ctx, run).catch((err: unknown) => {
    throw ctx.signal?.aborted ? interruptedError(signalOf(ctx.signal.reason)) : err;
  });
  try {
    identify(ctx, run, target.identity.label);
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
  const targetName = config.importNdjson.length ? 'k6' : (config.target ?? config.providerName ?? 'target');
  const judging = prepareJudging(config);
  const run: Run = {
    id: newRunId(started, profile, targetName, config.outDir),
    dir: '',
    started,
    profile,
    saved: false,
    judging,
  };
  run.dir = path.join(config.outDir, run.id);
  if (config.importNdjson.length === 0) await checkScenarios(config.root, config.scenarios);
  mkdirSync(run.dir, { recursive: true });
  ctx.onRunDir?.(run.dir);
  try {
    let results: Results;
    if (config.importNdjson.length > 0) {
      const identity = identify(ctx, run, config.target ?? 'imported k6 results');
      results = await measureImported(ctx, run);
      results.meta = { ...results.meta, identity, status: 'complete' };
      save(run, results);
    } else results = await measureRun(ctx, run);
    const verdicts = judgeRun(config, results, run.judging, run.dir);
    reportRun(config, results, verdicts, run.judging, ctx.writeReport);
    return { runId: run.id, runDir: run.dir, results, verdicts };
  } finally {
    if (!run.saved) rmSync(run.dir, { recursive: true, force: true });
  }
}
