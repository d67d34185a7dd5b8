import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ToolkitError } from '../errors.ts';
import { ensureSystemPackages } from '../setup/index.ts';
import { runLighthouse, type LighthouseAuth } from '../lighthouse/index.ts';
import { analyzeBundle } from '../bundle/index.ts';
import {
  fromBundleResult,
  fromLighthouseResult,
  readResults,
  type BundleResults,
  type LighthouseResult,
  type Results,
  type RunMeta,
  type Verdicts,
} from '../results/index.ts';
import { evaluateBudget, loadBudget } from '../budgets/index.ts';
import { loadReportAssets, writeReport } from '../report/index.ts';
import type { LoadtestConfig } from './config.ts';
import { REFERENCE_APP, startReferenceTarget, type ReferenceTarget } from './reference-target.ts';
import { importLoad, measureLoad } from './measure.ts';
import { assembleResults } from './assemble.ts';
import { comparisonEntry, measureEarlierShardPasses } from './compare-shards.ts';

/** What a finished run produced. */
export interface LoadtestOutcome {
  runId: string;
  runDir: string;
  results: Results;
  verdicts: Verdicts;
}

interface Ctx {
  config: LoadtestConfig;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** A path as people see it: relative inside the project, absolute outside it. */
function shownPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** A folder-safe, sortable run id, unique within the reports folder: 2026-11-25T13-20-05Z-ci (then -ci-2, -ci-3…). */
export function newRunId(now: Date, profile: string, outDir: string): string {
  const base = `${now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}-${profile}`;
  let id = base;
  for (let n = 2; existsSync(path.join(outDir, id)); n += 1) id = `${base}-${n}`;
  return id;
}

function gitCommit(root: string): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

function toolVersion(root: string): string {
  try {
    return (
      (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'
    );
  } catch {
    return '0.0.0';
  }
}

/** The configuration as recorded in results.json: no credentials, no process environment. */
function recordedConfig(c: LoadtestConfig): Record<string, unknown> {
  const rel = (p: string): string => path.relative(c.root, p) || '.';
  return {
    target: c.target ?? 'reference app',
    scenarios: c.scenarios,
    budget: rel(c.budgetPath),
    baseline: c.baselinePath ?? null,
    engine: c.engine,
    instances: c.instances,
    scale: c.scale,
    env: c.env,
    ci: c.ci,
    lighthouse: c.lighthouse,
    bundle: c.bundle,
    browserUnderLoad: c.browserUnderLoad,
    login: c.credentials.email,
    ...(c.shards > 1 || c.compareShards ? { shards: c.shards, compareShards: c.compareShards ?? null } : {}),
  };
}

/** The newest results.json under reports/ (for --baseline latest), if any. */
function latestResults(outDir: string, except: string): string | undefined {
  if (!existsSync(outDir)) return undefined;
  const runs = readdirSync(outDir)
    .filter((d) => d !== except && !d.startsWith('.') && existsSync(path.join(outDir, d, 'results.json')))
    .map((d) => ({ d, at: statSync(path.join(outDir, d, 'results.json')).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  return runs[0] ? path.join(outDir, runs[0].d, 'results.json') : undefined;
}

async function measureFrontend(
  ctx: Ctx,
  baseUrl: string,
  runDir: string,
  auth: LighthouseAuth | undefined,
): Promise<LighthouseResult[]> {
  const { lighthouse } = ctx.config;
  if (!lighthouse.enabled) return [];
  ctx.log(
    `lighthouse: ${lighthouse.pages.map((p) => p.name).join(', ')} × ${lighthouse.presets.join(', ')}, ${lighthouse.runs} run(s) each…`,
  );
  const collection = await runLighthouse({
    baseUrl,
    pages: lighthouse.pages.map((p) => ({ name: p.name, path: p.path, ...(p.auth && auth ? { auth } : {}) })),
    presets: lighthouse.presets,
    modes: ctx.config.ci ? ['cold'] : ['cold', 'warm'],
    runs: lighthouse.runs,
    outDir: path.join(runDir, 'lighthouse'),
    env: ctx.config.processEnv,
    log: (l) => ctx.log(`  ${l}`),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return fromLighthouseResult(collection, runDir);
}

async function measureBundle(ctx: Ctx, runDir: string, isReference: boolean): Promise<BundleResults | undefined> {
  const configured = ctx.config.bundle.statsPath;
  const statsPath = configured
    ? path.resolve(ctx.config.root, configured)
    : isReference
      ? path.join(ctx.config.root, REFERENCE_APP.clientStats)
      : undefined;
  if (!ctx.config.bundle.enabled || !statsPath) return undefined;
  if (!existsSync(statsPath)) {
    ctx.log(`bundle: no webpack stats at ${path.relative(ctx.config.root, statsPath)}, skipped`);
    return undefined;
  }
  ctx.log('bundle: sizes from webpack stats…');
  const result = await analyzeBundle({ statsPath });
  if (result.reportPath && existsSync(result.reportPath)) {
    const copy = path.join(runDir, 'bundle', 'bundle-report.html');
    mkdirSync(path.dirname(copy), { recursive: true });
    copyFileSync(result.reportPath, copy);
    result.reportPath = copy;
  }
  return fromBundleResult(result, runDir);
}

type Budget = ReturnType<typeof loadBudget>;

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

/** Budgets → verdicts.json, then the report folder (written atomically by writeReport). */
function judgeAndReport(
  config: LoadtestConfig,
  results: Results,
  budget: Budget,
  baseline: Results | undefined,
  baselineFile: string | undefined,
): Verdicts {
  const verdicts = evaluateBudget(results, budget, {
    ...(baseline ? { baseline, baselineSource: shownPath(config.root, baselineFile ?? '') } : {}),
    skipped: skippedParts(config),
  });
  writeReport({
    outRoot: config.outDir,
    results,
    verdicts,
    assets: loadReportAssets(),
    env: { GITHUB_STEP_SUMMARY: config.githubStepSummary },
  });
  return verdicts;
}

interface ImportRun {
  runId: string;
  runDir: string;
  started: Date;
  budget: Budget;
  baseline: Results | undefined;
  baselineFile: string | undefined;
  markReported: () => void;
}

/** --import-k6: results real k6 produced elsewhere go through the same results → budgets → report stages as a local run. */
async function judgeImported(ctx: Ctx, run: ImportRun): Promise<LoadtestOutcome> {
  const { config, log } = ctx;
  const load = await importLoad(config, log);
  const outcome = load.scenarios[0]?.outcome;
  const meta: RunMeta = {
    id: run.runId,
    startedAt: run.started.toISOString(),
    endedAt: new Date().toISOString(),
    target: config.target ?? 'imported k6 results',
    scenarios: ['imported'],
    engine: 'k6',
    toolVersion: toolVersion(config.root),
    gitCommit: gitCommit(config.root),
    profile: 'import',
    config: { ...recordedConfig(config), imported: config.importNdjson.map((f) => shownPath(config.root, f)) },
  };
  const firstSample = outcome?.timeseries[0]?.time ?? Date.now();
  const bundle = await measureBundle(ctx, run.runDir, false);
  const results = await assembleResults({ meta, runStartMs: firstSample, load, lighthouse: [], bundle, log });
  const verdicts = judgeAndReport(config, results, run.budget, run.baseline, run.baselineFile);
  run.markReported();
  return { runId: run.runId, runDir: run.runDir, results, verdicts };
}

/** Checks that an external target answers before load is sent to it. */
async function assertReachable(url: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
  } catch (err) {
    throw new ToolkitError('TARGET_UNREACHABLE', `target ${url} does not answer: ${(err as Error).message}`, {
      fix: 'start the app first, or drop --target to measure the reference app',
    });
  }
}

/**
 * The whole run: set-up → target up → scenarios (with samplers and a browser
 * under load) → Lighthouse → bundle → results → budgets → report → target down.
 * A run that fails before its report is written leaves no run folder behind.
 */
export async function runPipeline(ctx: Ctx): Promise<LoadtestOutcome> {
  const { config, log } = ctx;
  const started = new Date();
  const runId = newRunId(started, config.importNdjson.length ? 'import' : config.ci ? 'ci' : 'default', config.outDir);
  const runDir = path.join(config.outDir, runId);
  const budget = loadBudget(shownPath(config.root, config.budgetPath), config.root);
  const baselineFile =
    config.baselinePath === 'latest'
      ? latestResults(config.outDir, runId)
      : config.baselinePath && path.resolve(config.root, config.baselinePath);
  const baseline = baselineFile ? readResults(baselineFile, config.root) : undefined;
  const optional = [...(config.nginx ? ['nginx' as const] : []), ...(config.pgbouncer ? ['pgbouncer' as const] : [])];
  ensureSystemPackages({
    purpose: 'loadtest',
    env: config.processEnv,
    log,
    isRoot: process.getuid?.() === 0,
    optional,
  });
  let target: ReferenceTarget | undefined;
  let reported = false;
  mkdirSync(runDir, { recursive: true });
  try {
    if (config.importNdjson.length > 0)
      return await judgeImported(ctx, {
        runId,
        runDir,
        started,
        budget,
        baseline,
        baselineFile,
        markReported: () => (reported = true),
      });
    const earlier = config.compareShards
      ? await measureEarlierShardPasses(ctx, runDir, {
          id: runId,
          startedAt: started.toISOString(),
          endedAt: started.toISOString(),
          target: 'reference app',
          scenarios: config.scenarios,
          engine: 'builtin',
          toolVersion: toolVersion(config.root),
          gitCommit: null,
          config: {},
        })
      : [];
    if (!config.target) {
      target = await startReferenceTarget({
        shards: config.shards,
        root: config.root,
        env: config.processEnv,
        log,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        instances: config.instances,
        scale: config.scale,
        runId,
        nginx: config.nginx,
        pgbouncer: config.pgbouncer,
        ...(config.autoscale ? { autoscale: config.autoscale } : {}),
      });
    } else await assertReachable(config.target);
    const baseUrl = target?.baseUrl ?? config.target ?? '';
    log(`target ${baseUrl}`);
    const auth: LighthouseAuth | undefined = { ...config.credentials, loginPath: '/login' };
    const runStartMs = Date.now();
    const load = await measureLoad({
      config,
      baseUrl,
      runDir,
      auth,
      ...(target ? { samplerHeaders: target.samplerHeaders } : {}),
      log,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      watch: target
        ? { processes: target.processes, folders: target.folders, memory: target.memory }
        : { processes: () => ({}), folders: {} },
    });
    const lighthouse = await measureFrontend(ctx, baseUrl, runDir, auth);
    const bundle = await measureBundle(ctx, runDir, !config.target);
    const meta: RunMeta = {
      id: runId,
      startedAt: started.toISOString(),
      endedAt: new Date().toISOString(),
      target: baseUrl,
      scenarios: load.scenarios.map((s) => s.name),
      engine: load.scenarios[0]?.outcome.engine ?? 'builtin',
      toolVersion: toolVersion(config.root),
      gitCommit: gitCommit(config.root),
      profile: config.ci ? 'ci' : 'default',
      config: recordedConfig(config),
    };
    const results = await assembleResults({ meta, runStartMs, load, lighthouse, bundle, log });
    const last = comparisonEntry(config.shards, results);
    const passes = last ? [...earlier, last] : earlier;
    if (config.compareShards && passes.length > 0) results.comparison = passes;
    const verdicts = judgeAndReport(config, results, budget, baseline, baselineFile);
    reported = true;
    return { runId, runDir, results, verdicts };
  } finally {
    if (target) {
      log('stopping the app and the private stack…');
      await target.stop().catch((err: unknown) => log(`  stopping failed: ${(err as Error).message}`));
    }
    if (!reported) rmSync(runDir, { recursive: true, force: true });
  }
}
