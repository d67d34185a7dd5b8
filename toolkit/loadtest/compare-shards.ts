/**
 * `--compare-shards 1,2`: the same scenarios at the same rates against the
 * reference app on a fresh stack per shard count. The last count is the run's
 * main pass (its sections fill results.json); the earlier ones are measured
 * here and kept only as their API and database summaries in `comparison`.
 */
import path from 'node:path';
import type { ComparisonEntry, Results, RunMeta } from '../results/index.ts';
import { assembleResults } from './assemble.ts';
import type { LoadtestConfig } from './config.ts';
import { measureLoad } from './measure.ts';
import { startReferenceTarget } from './reference-target.ts';

interface Ctx {
  config: LoadtestConfig;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** How a pass is labelled in the report. */
export const shardLabel = (shards: number): string => `${shards} shard${shards === 1 ? '' : 's'}`;

/** A finished pass's comparison entry: its API figures (and database figures when sampled). */
export function comparisonEntry(
  shards: number,
  results: Pick<Results, 'api' | 'database'>,
): ComparisonEntry | undefined {
  if (!results.api) return undefined;
  return {
    label: shardLabel(shards),
    shards,
    api: results.api,
    ...(results.database ? { database: results.database } : {}),
  };
}

/** Measures one earlier pass on its own stack and stops it again. */
async function measurePass(
  ctx: Ctx,
  runDir: string,
  shards: number,
  meta: RunMeta,
): Promise<ComparisonEntry | undefined> {
  const { config, log } = ctx;
  log(`comparison pass: ${shardLabel(shards)}…`);
  const target = await startReferenceTarget({
    root: config.root,
    env: config.processEnv,
    log,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    instances: config.instances,
    scale: config.scale,
    runId: meta.id,
    shards,
    // Every other setting as in the main pass, so only the shard count differs.
    nginx: config.nginx,
    pgbouncer: config.pgbouncer,
    ...(config.autoscale ? { autoscale: config.autoscale } : {}),
  });
  try {
    const runStartMs = Date.now();
    // The browser under load only belongs to the main pass: here it would only add noise to the comparison.
    const passConfig: LoadtestConfig = { ...config, browserUnderLoad: { ...config.browserUnderLoad, enabled: false } };
    const load = await measureLoad({
      config: passConfig,
      baseUrl: target.baseUrl,
      runDir: path.join(runDir, 'passes', `shards-${shards}`),
      auth: undefined,
      samplerHeaders: target.samplerHeaders,
      log,
      watch: { processes: target.processes, folders: target.folders },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const results = await assembleResults({ meta, runStartMs, load, lighthouse: [], bundle: undefined, log });
    return comparisonEntry(shards, results);
  } finally {
    await target.stop().catch((err: unknown) => log(`  stopping failed: ${(err as Error).message}`));
  }
}

/** Runs every comparison pass but the last (which the pipeline runs as its main pass), one stack at a time. */
export async function measureEarlierShardPasses(ctx: Ctx, runDir: string, meta: RunMeta): Promise<ComparisonEntry[]> {
  const counts = ctx.config.compareShards?.slice(0, -1) ?? [];
  const entries: ComparisonEntry[] = [];
  for (const shards of counts) {
    const entry = await measurePass(ctx, runDir, shards, meta);
    if (entry) entries.push(entry);
  }
  return entries;
}
