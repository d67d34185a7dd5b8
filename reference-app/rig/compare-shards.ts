/**
 * `--compare-shards 1,2`: the same scenarios at the same rates against the
 * reference app on a fresh stack per shard count. The last count is the run's
 * main pass (its sections fill results.json); the earlier ones are measured
 * here, through the toolkit's measurePass, and kept only as their API and
 * database summaries in `comparison`.
 */
import path from 'node:path';
import type { ComparisonEntry, Results } from '../../toolkit/results/index.ts';
import type { ProviderStartContext, Target } from '../../toolkit/target/index.ts';
import type { RigOptions } from './options.ts';

/** Starts the reference app with one shard count (every other option as in the main pass). */
export type StartPass = (shards: number) => Promise<Target>;

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
  ctx: ProviderStartContext,
  start: StartPass,
  shards: number,
): Promise<ComparisonEntry | undefined> {
  ctx.log(`comparison pass: ${shardLabel(shards)}…`);
  const target = await start(shards);
  try {
    const results = await ctx.measurePass(target, path.join(ctx.runDir, 'passes', `shards-${shards}`));
    return comparisonEntry(shards, results);
  } finally {
    await target.stop().catch((err: unknown) => ctx.log(`  stopping failed: ${(err as Error).message}`));
  }
}

/** Runs every comparison pass but the last (which is the run's own), one stack at a time. */
export async function measureEarlierShardPasses(
  ctx: ProviderStartContext,
  options: RigOptions,
  start: StartPass,
): Promise<ComparisonEntry[]> {
  const entries: ComparisonEntry[] = [];
  for (const shards of options.compareShards?.slice(0, -1) ?? []) {
    const entry = await measurePass(ctx, start, shards);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** The main pass's target, adding the comparison of every pass to its results once they are assembled. */
export function withComparison(target: Target, options: RigOptions, earlier: ComparisonEntry[]): Target {
  return {
    ...target,
    completeResults(results) {
      target.completeResults?.(results);
      const last = comparisonEntry(options.shards, results);
      const passes = last ? [...earlier, last] : earlier;
      if (passes.length > 0) results.comparison = passes;
    },
  };
}
