/** `npm run shard -- move|drop-before|status`: operations on the shards of the reference app's database. */
import pg from 'pg';
import { parseFlags } from '../../toolkit/cli/args.ts';
import { logger, type CliIo } from '../../toolkit/cli/io.ts';
import { EXIT, usageError } from '../../toolkit/errors.ts';
import { resolveDatabaseUrls } from '../rig/database-urls.ts';
import { dropPartitionsBefore, moveBusiness, type ShardUrls } from './shard-move.ts';

const HELP = `usage: npm run shard -- <command> [options]

  move --business ID --to SHARD   copy the business's rows to SHARD, switch the shard map, delete the old copy;
                                  the app keeps serving (that business's writes wait during the copy)
  drop-before --date YYYY-MM-DD   drop every metric_points day partition ending at or before the date, on every shard
  status                          businesses per shard and metric_points partitions per shard

options:
  --name N   stack name (default "default"); DATABASE_URL / DATABASE_REPLICA_URL / DATABASE_SHARD_URLS win when set
  --json     print only JSON on stdout
  --quiet    no progress output
  --help     this text`;

const FLAGS = {
  business: { type: 'string' },
  to: { type: 'string' },
  date: { type: 'string' },
  name: { type: 'string', default: 'default' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function wholeNumber(value: string | undefined, flag: string, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min)
    throw usageError(`${flag} ${value ?? '(missing)'}: expected a whole number >= ${min}`, HELP);
  return n;
}

function parseDate(value: string | undefined): Date {
  const d = value && /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(value) ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw usageError(`--date ${value ?? '(missing)'}: expected a date like 2026-01-31 (UTC)`, HELP);
  return d;
}

/** Businesses per shard (from the map) and partitions per shard. */
async function status(
  urls: ShardUrls,
): Promise<{ shard: number; businesses: number; partitions: number; points: number }[]> {
  const out = [];
  const all = [urls.main, ...urls.shards];
  const main = new pg.Client({ connectionString: urls.main });
  await main.connect();
  const mapped = new Map<number, number>();
  try {
    const r = await main.query<{ shard: number; n: string }>(
      'SELECT shard, count(*) AS n FROM business_shards GROUP BY shard',
    );
    for (const row of r.rows) mapped.set(row.shard, Number(row.n));
  } finally {
    await main.end();
  }
  for (const [shard, url] of all.entries()) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = await c.query<{ partitions: number; points: number }>(
        `SELECT (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'metric_points'::regclass) AS partitions,
                (SELECT count(*)::int FROM metric_points) AS points`,
      );
      out.push({
        shard,
        businesses: mapped.get(shard) ?? 0,
        partitions: r.rows[0]?.partitions ?? 0,
        points: r.rows[0]?.points ?? 0,
      });
    } finally {
      await c.end();
    }
  }
  return out;
}

/** The `shard` command. */
export async function runShard(io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(io.argv, FLAGS, HELP);
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  const [action, ...rest] = positionals;
  if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`, HELP);
  const log = logger(io, values.quiet);
  const resolved = await resolveDatabaseUrls({ env: io.env, cwd: io.cwd, name: values.name });
  const urls: ShardUrls = { main: resolved.primary, replica: resolved.replica, shards: resolved.shards };
  let result: unknown;
  switch (action) {
    case 'move':
      result = await moveBusiness(
        urls,
        wholeNumber(values.business, '--business', 1),
        wholeNumber(values.to, '--to', 0),
        log,
      );
      break;
    case 'drop-before': {
      const counts = await dropPartitionsBefore(urls, parseDate(values.date));
      counts.forEach((n, shard) => log(`shard ${shard}: ${n} partition(s) dropped`));
      result = { dropped: counts };
      break;
    }
    case 'status': {
      const rows = await status(urls);
      if (!values.json)
        for (const r of rows)
          io.stdout.write(
            `shard ${r.shard}: ${r.businesses} business(es), ${r.partitions} partition(s), ${r.points} points\n`,
          );
      result = rows;
      break;
    }
    default:
      throw usageError(
        action ? `unknown command "${action}"` : 'missing command',
        `use one of: move, drop-before, status\n${HELP}`,
      );
  }
  if (values.json) io.stdout.write(JSON.stringify(result) + '\n');
  return EXIT.ok;
}
