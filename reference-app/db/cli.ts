/** `npm run migrate` and `npm run seed`: the database commands. */
import { parseFlags } from '../../toolkit/cli/args.ts';
import { logger, type CliIo } from '../../toolkit/cli/io.ts';
import { EXIT, usageError } from '../../toolkit/errors.ts';
import { resolveDatabaseUrls } from '../rig/database-urls.ts';
import { migrate } from './migrate.ts';
import { SCALES, type ScaleName } from './seed-data.ts';
import { seedDatabase } from './seed.ts';

const TARGET = `The database is DATABASE_URL (and DATABASE_REPLICA_URL, DATABASE_SHARD_URLS) when set, else the
running private stack (--name, default "default"; start it with \`npm run stack -- up [--shards N]\`).
With shards, every shard is migrated and business n is seeded on shard n mod N.`;

const MIGRATE_HELP = `usage: npm run migrate -- [--name N] [--quiet]

Applies pending reference-app/db/migrations/NNN_name.sql files in order, one transaction each.
${TARGET}`;

const SEED_HELP = `usage: npm run seed -- [--scale small|medium|large] [--seed N] [--name N] [--json] [--quiet]

Replaces the data with a deterministic data set (runs pending migrations first):
  small   ${SCALES.small.businesses} businesses, ${SCALES.small.days} days of 5-minute points   (~90 k points)
  medium  ${SCALES.medium.businesses} businesses, ${SCALES.medium.days} days                  (~1.3 M points)
  large   ${SCALES.large.businesses} businesses, ${SCALES.large.days} days                 (~6.5 M points)
Accounts: owner@business-<n>.example, viewer<k>@business-<n>.example, password perfkit-demo.
${TARGET}`;

const COMMON = {
  name: { type: 'string', default: 'default' },
  quiet: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** The `migrate` command. */
export async function runMigrate(io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(io.argv, COMMON, MIGRATE_HELP);
  if (values.help) {
    io.stdout.write(MIGRATE_HELP + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, MIGRATE_HELP);
  const log = logger(io, values.quiet);
  const { primary, shards } = await resolveDatabaseUrls({ env: io.env, cwd: io.cwd, name: values.name });
  // Every shard has the same schema; shard 0 is the primary.
  for (const [shard, url] of [primary, ...shards].entries()) {
    const result = await migrate(url, { log });
    log(
      `${shards.length ? `shard ${shard}: ` : ''}${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied`,
    );
  }
  return EXIT.ok;
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return 42;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw usageError(`--seed ${text}: expected a non-negative integer`, 'e.g. --seed 7');
  return n;
}

/** The `seed` command. */
export async function runSeed(io: CliIo): Promise<number> {
  const flags = {
    ...COMMON,
    scale: { type: 'string', default: 'small' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const;
  const { values, positionals } = parseFlags(io.argv, flags, SEED_HELP);
  if (values.help) {
    io.stdout.write(SEED_HELP + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, SEED_HELP);
  if (!(values.scale in SCALES))
    throw usageError(`--scale ${values.scale}: expected small, medium or large`, SEED_HELP);
  const log = logger(io, values.quiet);
  const urls = await resolveDatabaseUrls({ env: io.env, cwd: io.cwd, name: values.name });
  const result = await seedDatabase({
    url: urls.primary,
    ...(urls.replica ? { replicaUrl: urls.replica } : {}),
    ...(urls.shards.length ? { shardUrls: urls.shards } : {}),
    scale: values.scale as ScaleName,
    seed: parseSeed(values.seed),
    log,
  });
  if (values.json) io.stdout.write(JSON.stringify(result) + '\n');
  return EXIT.ok;
}
