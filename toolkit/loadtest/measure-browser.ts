/** The measurements that follow the load: Lighthouse on the target's pages, and the bundle from webpack stats. */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { analyzeBundle } from '../bundle/index.ts';
import { runLighthouse } from '../lighthouse/index.ts';
import {
  fromBundleResult,
  fromLighthouseResult,
  machineFromLighthouse,
  type BundleResults,
  type LighthouseResult,
  type MachineFacts,
} from '../results/index.ts';
import type { Target } from '../target/index.ts';
import type { LoadtestConfig } from './types.ts';

interface Ctx {
  config: LoadtestConfig;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** Lighthouse's part of the results, and what its runs said about the machine. */
export interface FrontendMeasurement {
  lighthouse: LighthouseResult[];
  machine: Partial<Pick<MachineFacts, 'chromium' | 'lighthouse' | 'benchmarkIndex'>>;
}

/** Lighthouse on each of the target's pages and presets (logged in where a page asks for it). */
export async function measureFrontend(ctx: Ctx, target: Target, runDir: string): Promise<FrontendMeasurement> {
  const { lighthouse } = ctx.config;
  if (!lighthouse.enabled) return { lighthouse: [], machine: {} };
  const { auth } = target;
  ctx.log(
    `lighthouse: ${lighthouse.runs} Lighthouse run(s) per page and preset, median per figure judged: ${target.pages.map((p) => p.name).join(', ')} × ${lighthouse.presets.join(', ')}…`,
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
  return { lighthouse: fromLighthouseResult(collection, runDir), machine: machineFromLighthouse(collection) };
}

/** Bundle sizes from the configured webpack stats, else the target's own; the analyzer's page is kept in the run folder. */
export async function measureBundle(
  ctx: Ctx,
  runDir: string,
  target: Target | undefined,
): Promise<BundleResults | undefined> {
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
