import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { ToolkitError } from '../errors.ts';
import { runScript, type RunOutcome } from '../runner/index.ts';
import {
  startBrowserUnderLoad,
  type BrowserLoadSample,
  type BrowserUnderLoadHandle,
  type LighthouseAuth,
} from '../lighthouse/index.ts';
import type { LoadtestConfig } from './config.ts';
import { startPerformanceSampler, type PerformanceReading } from './performance-sampler.ts';
import { startResourceSampler, type ResourceSample, type ResourceWatch } from './resources.ts';

/** One scenario's run: the runner's outcome and where its files are. */
export interface ScenarioRun {
  name: string;
  script: string;
  outcome: RunOutcome;
  outDir: string;
  /** NDJSON sample files holding this run's samples (one per k6 instance for imports). */
  sampleFiles: string[];
}

/** Everything measured while the scenarios ran. */
export interface LoadMeasurements {
  scenarios: ScenarioRun[];
  performance: PerformanceReading[];
  resources: ResourceSample[];
  browserSamples: BrowserLoadSample[];
}

/** The scenario file for a name (scenarios/<name>.ts) or a path given as is. */
export function scenarioPath(root: string, name: string): string {
  const candidates = [name, path.join('scenarios', `${name}.ts`), path.join('scenarios', `${name}.js`)].map((p) =>
    path.resolve(root, p),
  );
  const found = candidates.find((p) => existsSync(p) && statSync(p).isFile());
  if (!found) {
    throw new ToolkitError('FILE_NOT_FOUND', `scenario '${name}' not found (looked for scenarios/${name}.ts)`, {
      fix: 'name a file in scenarios/ (smoke, load, stress, spike, soak, cache, replica) or give a path to a k6 script',
    });
  }
  return found;
}

interface MeasureContext {
  config: LoadtestConfig;
  baseUrl: string;
  runDir: string;
  watch: ResourceWatch;
  auth: LighthouseAuth | undefined;
  /** Headers for the target's /api/performance (a target provider's token for its detailed view). */
  samplerHeaders?: Record<string, string>;
  log: (line: string) => void;
  signal?: AbortSignal;
}

async function startBrowser(ctx: MeasureContext): Promise<BrowserUnderLoadHandle | undefined> {
  if (!ctx.config.browserUnderLoad.enabled) return undefined;
  const page = ctx.config.lighthouse.pages[0];
  try {
    return await startBrowserUnderLoad({
      url: new URL(page?.path ?? '/', ctx.baseUrl).toString(),
      intervalMs: ctx.config.browserUnderLoad.intervalMs,
      ...(page?.auth && ctx.auth ? { auth: ctx.auth } : {}),
      env: ctx.config.processEnv,
      log: (l) => ctx.log(`  ${l}`),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      maxDurationMs: 60 * 60 * 1000,
    });
  } catch (err) {
    ctx.log(`  browser under load not started: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Reads what real k6 produced elsewhere (several k6-operator runners' NDJSON files are merged) as one scenario run. */
export async function importLoad(config: LoadtestConfig, log: (line: string) => void): Promise<LoadMeasurements> {
  const { importK6Results } = await import('../k6/index.ts');
  for (const f of config.importNdjson) {
    if (!existsSync(f))
      throw new ToolkitError('FILE_NOT_FOUND', `--import-k6: ${f} does not exist`, {
        fix: 'pass the files written by `k6 run --out json=FILE`',
      });
  }
  log(`importing k6 results from ${config.importNdjson.length} sample file(s)…`);
  const outcome = await importK6Results({
    ndjson: config.importNdjson,
    ...(config.importSummaryExport ? { summaryExport: config.importSummaryExport } : {}),
  });
  const run: ScenarioRun = {
    name: 'imported',
    script: config.importNdjson.join(','),
    outcome,
    outDir: '',
    sampleFiles: config.importNdjson,
  };
  return { scenarios: [run], performance: [], resources: [], browserSamples: [] };
}

/** Runs the scenarios one after another while sampling /api/performance, resources and a real browser's page loads. */
export async function measureLoad(ctx: MeasureContext): Promise<LoadMeasurements> {
  const scripts = ctx.config.scenarios.map((name) => ({
    name: path.basename(name).replace(/\.(ts|js)$/, ''),
    script: scenarioPath(ctx.config.root, name),
  }));
  const perf = startPerformanceSampler(ctx.baseUrl, 2000, ctx.samplerHeaders);
  const resources = startResourceSampler(ctx.watch);
  const browser = await startBrowser(ctx);
  const runs: ScenarioRun[] = [];
  let browserSamples: BrowserLoadSample[] = [];
  let performance: PerformanceReading[] = [];
  let resourceSamples: ResourceSample[] = [];
  try {
    for (const [i, { name, script }] of scripts.entries()) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      ctx.log(`scenario ${i + 1}/${scripts.length}: ${name}…`);
      const outDir = path.join(ctx.runDir, 'k6', name);
      const outcome = await runScript({
        script,
        env: { ...ctx.config.env, BASE_URL: ctx.baseUrl },
        engine: ctx.config.engine,
        outDir,
        quiet: true,
        noSummary: true,
        cwd: ctx.config.root,
        processEnv: ctx.config.processEnv,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      runs.push({ name, script, outcome, outDir, sampleFiles: outcome.ndjsonPath ? [outcome.ndjsonPath] : [] });
      const reqs = outcome.summary?.metrics.http_reqs?.values.count ?? 0;
      const failedThresholds = outcome.thresholds.filter((t) => !t.ok).length;
      ctx.log(
        `  ${name} (${outcome.engine} engine): exit ${outcome.exitCode}, ${reqs} requests in ${(outcome.durationMs / 1000).toFixed(1)} s` +
          (failedThresholds ? `, ${failedThresholds} threshold(s) crossed` : ', thresholds ok'),
      );
      if (outcome.summary === null) {
        throw new ToolkitError(
          'SCRIPT_INVALID',
          `scenario ${name} (${script}) did not run: exit ${outcome.exitCode}${outcome.aborted ? ` (${outcome.aborted})` : ''}`,
          {
            fix: `run it alone to see the error: npm run k6 -- run ${path.relative(ctx.config.root, script)} -e BASE_URL=${ctx.baseUrl}`,
          },
        );
      }
    }
  } finally {
    browserSamples = (await browser?.stop().catch(() => undefined))?.samples ?? [];
    performance = await perf.stop();
    resourceSamples = await resources.stop();
  }
  return { scenarios: runs, performance, resources: resourceSamples, browserSamples };
}
