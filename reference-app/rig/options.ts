/**
 * The rig's own options: its flags (`--instances`, `--min/--max-instances`,
 * `--shards`, `--compare-shards`, `--nginx`, `--pgbouncer`, `--scale`) and the
 * "reference" section of perfkit.config.json, resolved into RigOptions.
 */
import { z } from 'zod';
import { usageError } from '../../toolkit/errors.ts';
import type { FlagValues } from '../../toolkit/target/index.ts';
import { MAX_SHARDS } from './shards.ts';

/** The app's auto-scaling supervisor limits (`npm run app -- --min-instances N --max-instances M`). */
export interface AutoscaleLimits {
  min: number;
  max: number;
}

/** Seed sizes (reference-app/db/seed.ts). */
export type SeedScale = 'small' | 'medium' | 'large';

/** Everything the rig needs to know to start the reference app for a run. */
export interface RigOptions {
  /** App instances behind one port (node:cluster), or behind nginx one process each. */
  instances: number;
  /** The app under its auto-scaling supervisor (flags, or the autoscale scenario); undefined: a fixed `instances`. */
  autoscale: AutoscaleLimits | undefined;
  /** Database shard primaries (--shards; the last of --compare-shards). */
  shards: number;
  /** --compare-shards: the scenarios once per shard count (fresh stack each), compared in one report. */
  compareShards: number[] | undefined;
  /** nginx in front of the instances (one app process per instance) instead of node:cluster. */
  nginx: boolean;
  /** The primary pool through a private pgbouncer (transaction pooling). */
  pgbouncer: boolean;
  scale: SeedScale;
  /** The account the browser logs in with (a seeded viewer by default). */
  credentials: { email: string; password: string };
}

/** The rig's flags, as node:util parseArgs options. */
export const RIG_FLAGS = {
  instances: { type: 'string' },
  'min-instances': { type: 'string' },
  'max-instances': { type: 'string' },
  shards: { type: 'string' },
  'compare-shards': { type: 'string' },
  nginx: { type: 'boolean' },
  pgbouncer: { type: 'boolean' },
  scale: { type: 'string' },
} as const;

/** The "reference" section of perfkit.config.json; unknown keys are errors. */
export const rigSectionSchema = z.strictObject({
  instances: z
    .number()
    .int()
    .min(1)
    .max(16)
    .optional()
    .meta({ description: 'app instances (default 2); as --instances' }),
  nginx: z.boolean().optional().meta({ description: 'nginx in front of the instances; as --nginx' }),
  pgbouncer: z.boolean().optional().meta({ description: 'pgbouncer before the primary; as --pgbouncer' }),
  scale: z.enum(['small', 'medium', 'large']).optional().meta({ description: 'size of the seeded data; as --scale' }),
  credentials: z
    .strictObject({ email: z.string(), password: z.string() })
    .optional()
    .meta({ description: 'the seeded account the browser logs in with' }),
});

/** The rig's part of --help. */
export const RIG_HELP = `Reference app (the default target; these options are refused with --target):
  --instances N           app instances behind one port (default 2)
  --min-instances N       auto-scale the app between N and --max-instances
  --max-instances M       (default 1..4 when the scenarios include autoscale)
  --nginx                 put nginx (load balancer + static files) in front of the instances
  --pgbouncer             put pgbouncer (transaction pooling) between the app and the primary
  --shards N              database shard primaries of the app's stack (default 1; business n on shard n mod N)
  --compare-shards A,B    run the scenarios once per shard count, a fresh stack each time, same rates;
                          one results.json with a \`comparison\` section (e.g. --compare-shards 1,2)
  --scale S               seed size: small | medium | large (default small)
  config file section "reference": { instances, nginx, pgbouncer, scale, credentials: { email, password } }`;

/** A seeded viewer no scenario logs in as, so the browser's logins never meet the scenarios' login rate limit. */
const DEFAULT_CREDENTIALS = { email: 'viewer2@business-2.example', password: 'perfkit-demo' };

const str = (v: FlagValues[string]): string | undefined => (typeof v === 'string' ? v : undefined);

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${flag} ${value}: expected a whole number >= 1`);
  return n;
}

/** --shards and --compare-shards: counts 1..MAX_SHARDS; a comparison ends on its last count. */
function shardsConfig(
  shards: string | undefined,
  compare: string | undefined,
): { shards: number; compareShards: number[] | undefined } {
  const count = (v: string, flag: string): number => {
    const n = positiveInt(v.trim(), flag) ?? 1;
    if (n > MAX_SHARDS) throw usageError(`${flag} ${v}: at most ${MAX_SHARDS} shards`);
    return n;
  };
  if (compare === undefined)
    return { shards: shards === undefined ? 1 : count(shards, '--shards'), compareShards: undefined };
  if (shards !== undefined)
    throw usageError('--shards and --compare-shards exclude each other', 'use --compare-shards 1,2 alone');
  const counts = compare
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => count(s, '--compare-shards'));
  if (counts.length < 2)
    throw usageError(`--compare-shards ${compare}: expected two or more shard counts`, 'e.g. --compare-shards 1,2');
  return { shards: counts[counts.length - 1] ?? 1, compareShards: counts };
}

/** The app's auto-scaling limits: from the flags, else 1..4 when a chosen scenario is `autoscale`. */
function autoscaleLimits(flags: FlagValues, scenarios: string[]): AutoscaleLimits | undefined {
  const min = positiveInt(str(flags['min-instances']), '--min-instances');
  const max = positiveInt(str(flags['max-instances']), '--max-instances');
  if (min === undefined && max === undefined && !scenarios.includes('autoscale')) return undefined;
  const limits = { min: min ?? 1, max: max ?? Math.max(min ?? 1, 4) };
  if (limits.max < limits.min || limits.max > 16)
    throw usageError(`--min-instances ${limits.min} --max-instances ${limits.max}: expected 1 <= min <= max <= 16`);
  if (flags.instances !== undefined && (min !== undefined || max !== undefined))
    throw usageError(
      '--instances cannot be combined with --min-instances/--max-instances',
      'give either a fixed count or auto-scaling limits',
    );
  if (flags.nginx)
    throw usageError(
      '--nginx balances a fixed set of app ports and cannot follow auto-scaling',
      'drop --nginx, or drop --min/--max-instances and the autoscale scenario',
    );
  return limits;
}

/** Resolves the rig's options from its flags, its config section and the scenarios the user chose. */
export function resolveRigOptions(flags: FlagValues, section: unknown, scenarios: string[]): RigOptions {
  const file = rigSectionSchema.parse(section ?? {});
  const scale = str(flags.scale) ?? file.scale ?? 'small';
  if (scale !== 'small' && scale !== 'medium' && scale !== 'large')
    throw usageError(`--scale ${scale}: expected small, medium or large`);
  return {
    instances: positiveInt(str(flags.instances), '--instances') ?? file.instances ?? 2,
    autoscale: autoscaleLimits(flags, scenarios),
    ...shardsConfig(str(flags.shards), str(flags['compare-shards'])),
    nginx: Boolean(flags.nginx ?? file.nginx),
    pgbouncer: Boolean(flags.pgbouncer ?? file.pgbouncer),
    scale,
    credentials: file.credentials ?? DEFAULT_CREDENTIALS,
  };
}
