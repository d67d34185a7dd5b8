import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ensureSystemPackages } from '../setup/index.ts';
import { runLighthouse } from '../lighthouse/index.ts';
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
import { targetFromUrl, type Target, type TargetIdentity } from '../target/index.ts';
import type { LoadtestConfig } from './config.ts';
import { startReferenceTarget } from './reference-target.ts';
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
function recordedConfig(
  c: LoadtestConfig,
  identity: TargetIdentity,
  login: string | undefined,
): Record<string, unknown> {
  const rel = (p: string): string => path.relative(c.root, p) || '.';
  return {
    target: identity.label,
    scenarios: c.scenarios,
    budget: rel(c.budgetPath),
    baseline: c.baselinePath ?? null,
    engine: c.engine,
    ...identity.settings,
    env: c.env,
    ci: c.ci,
    lighthouse: c.lighthouse,
    bundle: c.bundle,
    browserUnderLoad: c.browserUnderLoad,
    ...(login ? { login } : {}),
  };
}

/** What results.json records about the reference app's run: instances, seed scale, shards. */
function referenceSettings(c: LoadtestConfig): Record<string, unknown> {
  return {
    instances: c.instances,
    scale: c.scale,
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

async function measureFrontend(ctx: Ctx, target: Target, runDir: string): Promise<LighthouseResult[]> {
  const { lighthouse } = ctx.config;
  if (!lighthouse.enabled) return [];
  const { auth } = target;
  ctx.log(
    `lighthouse: ${target.pages.map((p) => p.name).join(', ')} × ${lighthouse.presets.join(', ')}, ${lighthouse.runs} run(s) each…`,
  );
  const collection = await runLighthouse({
    baseUrl: target.baseUrl,
    pages: target.pages.map((p) => ({ name: p.name, path: p.path, ...(p.auth && auth ? { auth } : {}) })),
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

async function measureBundle(ctx: Ctx, runDir: string, target: Target | undefined): Promise<BundleResults | undefined> {
  const configured = ctx.config.bundle.statsPath;
  const statsPath = configured ? path.resolve(ctx.config.root, configured) : target?.bundleStats;
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
    config: {
      ...recordedConfig(config, { label: config.target ?? 'imported k6 results', settings: {} }, undefined),
      imported: config.importNdjson.map((f) => shownPath(config.root, f)),
    },
  };
  const firstSample = outcome?.timeseries[0]?.time ?? Date.now();
  const bundle = await measureBundle(ctx, run.runDir, undefined);
  const results = await assembleResults({ meta, runStartMs: firstSample, load, lighthouse: [], bundle });
  const verdicts = judgeAndReport(config, results, run.budget, run.baseline, run.baselineFile);
  run.markReported();
  return { runId: run.runId, runDir: run.runDir, results, verdicts };
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
  let target: Target | undefined;
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
    const pages = config.lighthouse.pages;
    const auth = { ...config.credentials, loginPath: '/login' };
    target = config.target
      ? await targetFromUrl(config.target, { pages, auth })
      : await startReferenceTarget({
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
          pages,
          auth,
          settings: referenceSettings(config),
        });
    log(`target ${target.baseUrl}`);
    const runStartMs = Date.now();
    const load = await measureLoad({
      config,
      target,
      runDir,
      runStartMs,
      log,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const lighthouse = await measureFrontend(ctx, target, runDir);
    const bundle = await measureBundle(ctx, runDir, target);
    const meta: RunMeta = {
      id: runId,
      startedAt: started.toISOString(),
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
    const last = comparisonEntry(config.shards, results);
    const passes = last ? [...earlier, last] : earlier;
    if (config.compareShards && passes.length > 0) results.comparison = passes;
    target.completeResults?.(results);
    const verdicts = judgeAndReport(config, results, budget, baseline, baselineFile);
    reported = true;
    return { runId, runDir, results, verdicts };
  } finally {
    await target?.stop().catch((err: unknown) => log(`  stopping failed: ${(err as Error).message}`));
    if (!reported) rmSync(runDir, { recursive: true, force: true });
  }
}
