/**
 * The reference rig as a target provider: the repo's entry points plug it into
 * the toolkit's loadtest command as its default target. It brings the
 * reference app's scenarios, budgets, pages and login, its own flags and
 * config section, the system packages it runs, and start() → a Target.
 */
import type { ConfiguredProvider, ProviderStartContext, Target, TargetProvider } from '../../toolkit/target/index.ts';
import { measureEarlierShardPasses, withComparison } from './compare-shards.ts';
import { RIG_FLAGS, RIG_HELP, resolveRigOptions, rigSectionSchema, type RigOptions } from './options.ts';
import { rigPackages } from './packages.ts';
import { rigDefaults } from './profiles.ts';
import { startReferenceTarget } from './reference-target.ts';
import { sweepDeadStacks } from './sweep.ts';

/** What results.json records about the app's run: instances, seed scale, and shards when there are several. */
function recordedSettings(o: RigOptions): Record<string, unknown> {
  return {
    instances: o.instances,
    scale: o.scale,
    ...(o.shards > 1 || o.compareShards ? { shards: o.shards, compareShards: o.compareShards ?? null } : {}),
  };
}

/** Starts the reference app for the run: the earlier comparison passes first, when --compare-shards asks for them. */
async function startRig(ctx: ProviderStartContext, options: RigOptions): Promise<Target> {
  const start = (shards: number): Promise<Target> =>
    startReferenceTarget({
      root: ctx.root,
      env: ctx.env,
      log: ctx.log,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      options,
      shards,
      pages: ctx.pages,
      auth: ctx.auth,
      settings: recordedSettings(options),
    });
  if (!options.compareShards) return start(options.shards);
  const earlier = await measureEarlierShardPasses(ctx, options, start);
  return withComparison(await start(options.shards), options, earlier);
}

/** The reference app, started on a private stack for each run. */
export const referenceRig: TargetProvider = {
  name: 'reference',
  label: 'the reference app',
  description: 'the reference app, started for the run on a private stack (reference-app/rig)',
  flags: RIG_FLAGS,
  help: RIG_HELP,
  section: rigSectionSchema,
  sweep: ({ root, log }) => sweepDeadStacks(root, log).then(() => undefined),
  configure(input): ConfiguredProvider {
    const options = resolveRigOptions(input.flags, input.section, input.scenarios);
    return {
      defaults: rigDefaults(input.profile, options),
      systemPackages: rigPackages({ nginx: options.nginx, pgbouncer: options.pgbouncer }),
      // A comparison keeps its passes alike: no browser in one pass only.
      browserUnderLoad: !options.compareShards,
      start: (ctx) => startRig(ctx, options),
    };
  },
};
