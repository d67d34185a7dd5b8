/**
 * Moving one business to another shard while the app keeps serving:
 * its writes are held (the business's advisory lock, taken exclusively here,
 * which app writers take shared) while its rows are copied and checked, then
 * the map switches and the old copy is deleted once no read can still use a
 * cached map entry. Reads see the old shard until the switch, never a half copy.
 */
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { ToolkitError } from '../../toolkit/errors.ts';
import { waitUntil } from '../rig/health.ts';
import { MAP_CACHE_MS, SHARD_LOCK_CLASS } from '../server/db/shard-map.ts';

/** Per-business tables and the columns a move copies (metric_writes.id is per shard, so the target numbers the rows). */
export const BUSINESS_TABLES: Record<string, string[]> = {
  metric_definitions: ['business_id', 'metric', 'label', 'unit'],
  metric_points: ['business_id', 'metric', 'ts', 'value'],
  metric_rollups_hourly: ['business_id', 'metric', 'bucket', 'count', 'sum', 'min', 'max'],
  metric_writes: ['business_id', 'user_id', 'points', 'written_at'],
};

/** Row count and an order-independent digest of one table's rows of a business. */
export interface TableDigest {
  rows: number;
  md5: string;
}

/** What a move did. */
export interface MoveResult {
  businessId: number;
  from: number;
  to: number;
  tables: Record<string, TableDigest>;
  /** How long the business's writes were held. */
  heldMs: number;
}

/** Where the shards are: shard 0 (the main database, with the map) first. */
export interface ShardUrls {
  main: string;
  replica?: string | undefined;
  /** Extra shards 1..N-1. */
  shards: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: 'shard-move' });
  await c.connect();
  return c;
}

/** Count and digest of a business's rows in every per-business table (the same on both shards after a good copy). */
export async function businessDigest(client: pg.ClientBase, businessId: number): Promise<Record<string, TableDigest>> {
  const out: Record<string, TableDigest> = {};
  for (const [table, cols] of Object.entries(BUSINESS_TABLES)) {
    const row = cols.map((c) => `coalesce(${c}::text, '')`).join(` || '|' || `);
    const r = await client.query<{ rows: number; md5: string }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(${row}, ',' ORDER BY ${row}), '')) AS md5 FROM ${table} WHERE business_id = $1`,
      [businessId],
    );
    out[table] = r.rows[0] ?? { rows: 0, md5: '' };
  }
  return out;
}

/** Copies a business's rows from one shard to another inside the target's open transaction. */
async function copyRows(source: pg.Client, target: pg.Client, businessId: number): Promise<void> {
  for (const [table, cols] of Object.entries(BUSINESS_TABLES)) {
    await target.query(`DELETE FROM ${table} WHERE business_id = $1`, [businessId]);
    const out = source.query(
      copyStreams.to(`COPY (SELECT ${cols.join(', ')} FROM ${table} WHERE business_id = ${businessId}) TO STDOUT`),
    );
    const into = target.query(copyStreams.from(`COPY ${table} (${cols.join(', ')}) FROM STDIN`));
    await pipeline(out, into);
  }
}

/**
 * Waits until the replica has replayed everything `primary` wrote so far. The insert position, not
 * pg_current_wal_lsn(): with synchronous_commit = off the written position can still be before our commit.
 */
async function waitForReplica(primary: pg.Client, replicaUrl: string): Promise<void> {
  const lsn =
    (await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]?.lsn ?? '0/0';
  const replica = await connect(replicaUrl);
  try {
    await waitUntil(
      `the replica to replay the copy (up to ${lsn})`,
      60_000,
      async () =>
        (await replica.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn])).rows[0]
          ?.ok === true,
    );
  } finally {
    await replica.end();
  }
}

function shardUrl(urls: ShardUrls, shard: number): string {
  const url = shard === 0 ? urls.main : urls.shards[shard - 1];
  if (!url) {
    throw new ToolkitError(
      'USAGE',
      `--to ${shard}: there are ${1 + urls.shards.length} shard(s), numbered 0 to ${urls.shards.length}`,
      {
        fix: 'start the stack with more shards (`npm run stack -- up --shards N`) or pick an existing shard',
      },
    );
  }
  return url;
}

/** Copies, checks and switches while holding the business's lock; returns the source shard and digests. */
async function copyAndSwitch(
  main: pg.Client,
  urls: ShardUrls,
  businessId: number,
  to: number,
): Promise<{ from: number; tables: Record<string, TableDigest> }> {
  const m = await main.query<{ shard: number }>('SELECT shard FROM business_shards WHERE business_id = $1', [
    businessId,
  ]);
  const from = m.rows[0]?.shard ?? 0;
  const source = await connect(shardUrl(urls, from));
  const target = await connect(shardUrl(urls, to));
  try {
    const tables = await businessDigest(source, businessId);
    if (from === to) return { from, tables };
    const span = await source.query<{ lo: Date | null; hi: Date | null }>(
      'SELECT min(ts) AS lo, max(ts) AS hi FROM metric_points WHERE business_id = $1',
      [businessId],
    );
    if (span.rows[0]?.lo && span.rows[0].hi)
      await target.query('SELECT ensure_metric_partitions($1, $2)', [span.rows[0].lo, span.rows[0].hi]);
    await target.query('BEGIN');
    await copyRows(source, target, businessId);
    const copied = await businessDigest(target, businessId);
    if (JSON.stringify(copied) !== JSON.stringify(tables)) {
      await target.query('ROLLBACK');
      throw new ToolkitError(
        'DATABASE_ERROR',
        `business ${businessId}: the copy on shard ${to} differs from shard ${from} (${JSON.stringify(copied)} vs ${JSON.stringify(tables)})`,
        {
          fix: 'nothing was switched; run the move again',
        },
      );
    }
    await target.query('COMMIT');
    // Shard 0 is also read from its replica: switch only once the replica has the copy.
    if (to === 0 && urls.replica) await waitForReplica(target, urls.replica);
    await main.query(
      'UPDATE business_shards SET shard = $2, moving_to = NULL, updated_at = now() WHERE business_id = $1',
      [businessId, to],
    );
    return { from, tables };
  } finally {
    await Promise.all([source.end(), target.end()]);
  }
}

/**
 * Moves a business to shard `to`. Writers of that business wait (and retry)
 * while its rows are copied; other businesses are not affected.
 */
export async function moveBusiness(
  urls: ShardUrls,
  businessId: number,
  to: number,
  log: (line: string) => void = () => undefined,
): Promise<MoveResult> {
  shardUrl(urls, to);
  const main = await connect(urls.main);
  try {
    await main.query(
      `INSERT INTO business_shards (business_id, shard, moving_to) VALUES ($1, 0, $2)
       ON CONFLICT (business_id) DO UPDATE SET moving_to = EXCLUDED.moving_to, updated_at = now()`,
      [businessId, to],
    );
    await main.query('SELECT pg_advisory_lock($1, $2::int)', [SHARD_LOCK_CLASS, businessId]);
    const heldFrom = Date.now();
    let result: { from: number; tables: Record<string, TableDigest> };
    try {
      result = await copyAndSwitch(main, urls, businessId, to);
    } finally {
      await main
        .query('UPDATE business_shards SET moving_to = NULL WHERE business_id = $1', [businessId])
        .catch(() => undefined);
      await main.query('SELECT pg_advisory_unlock($1, $2::int)', [SHARD_LOCK_CLASS, businessId]).catch(() => undefined);
    }
    const heldMs = Date.now() - heldFrom;
    if (result.from !== to) {
      log(
        `business ${businessId}: shard ${result.from} → ${to} switched (writes held ${heldMs} ms); deleting the old copy shortly`,
      );
      // A read may still use a map entry cached before the switch: keep the old rows until none can.
      await sleep(2 * MAP_CACHE_MS + 500);
      await deleteBusinessRows(shardUrl(urls, result.from), businessId);
    } else {
      log(`business ${businessId} is already on shard ${to}`);
    }
    return { businessId, from: result.from, to, tables: result.tables, heldMs };
  } finally {
    await main.end();
  }
}

async function deleteBusinessRows(url: string, businessId: number): Promise<void> {
  const c = await connect(url);
  try {
    await c.query('BEGIN');
    for (const table of Object.keys(BUSINESS_TABLES))
      await c.query(`DELETE FROM ${table} WHERE business_id = $1`, [businessId]);
    await c.query('COMMIT');
  } finally {
    await c.end();
  }
}

/** Drops every metric_points day partition that ends at or before `cutoff`, on every shard; returns the count per shard. */
export async function dropPartitionsBefore(urls: ShardUrls, cutoff: Date): Promise<number[]> {
  const counts: number[] = [];
  for (const url of [urls.main, ...urls.shards]) {
    const c = await connect(url);
    try {
      const r = await c.query<{ n: number }>('SELECT drop_metric_partitions_before($1) AS n', [cutoff]);
      counts.push(r.rows[0]?.n ?? 0);
    } finally {
      await c.end();
    }
  }
  return counts;
}
