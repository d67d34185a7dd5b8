/**
 * Sharding on a private stack with two shard primaries: the seed's
 * distribution, routing of reads and writes by the shard map, the fan-out
 * overview, a move under concurrent writes, and dropping old day partitions.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../server/app.ts';
import { Client, startTestApp } from '../server/test-support/harness.ts';
import { waitUntil } from '../rig/health.ts';
import { startStack, type StackHandle } from '../rig/stack.ts';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { runShard } from './shard-cli.ts';
import { businessDigest, dropPartitionsBefore, moveBusiness, type ShardUrls } from './shard-move.ts';
import { SEED_PASSWORD, SEED_PLATFORM_ADMIN, seedDatabase, seedShardOf } from './seed.ts';

let stack: StackHandle;
let urls: ShardUrls;
let app: RunningApp;
let shardUrls: string[];

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Waits until shard 0's replica has replayed every write made so far (the insert position: commits are asynchronous). */
async function replayed(): Promise<void> {
  const [row] = await query<{ lsn: string }>(urls.main, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
  await waitUntil('the replica to replay the writes', 20_000, async () => {
    const [r] = await query<{ ok: boolean }>(
      urls.replica ?? urls.main,
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
      [row?.lsn],
    );
    return r?.ok === true;
  });
}

async function shardOfMap(business: number): Promise<number | undefined> {
  const rows = await query<{ shard: number }>(urls.main, 'SELECT shard FROM business_shards WHERE business_id = $1', [
    business,
  ]);
  return rows[0]?.shard;
}

async function owner(business: number): Promise<Client> {
  const c = new Client(app.url);
  await c.login(`owner@business-${business}.example`, SEED_PASSWORD);
  return c;
}

beforeAll(async () => {
  stack = await startStack({ name: `shards-${process.pid}`, env: { PATH: process.env.PATH }, shards: 2 });
  shardUrls = [stack.urls.primary, ...(stack.urls.shards ?? [])];
  urls = { main: stack.urls.primary, replica: stack.urls.replica, shards: stack.urls.shards ?? [] };
  await seedDatabase({ url: urls.main, replicaUrl: urls.replica, shardUrls: urls.shards, scale: 'small', seed: 3 });
  app = await startTestApp(
    { DATABASE_URL: urls.main, DATABASE_REPLICA_URL: urls.replica, REDIS_URL: stack.urls.redis },
    { DATABASE_SHARD_URLS: urls.shards.join(','), CACHE_ENABLED: 'false' },
  );
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await stack?.stop();
});

describe('sharding by business', () => {
  it('seeds business n on shard n mod 2, and its rows exist only there', async () => {
    expect(shardUrls).toHaveLength(2);
    for (const [shard, url] of shardUrls.entries()) {
      for (const table of ['metric_definitions', 'metric_points', 'metric_rollups_hourly', 'metric_writes']) {
        const rows = await query<{ b: number }>(url, `SELECT DISTINCT business_id::int AS b FROM ${table} ORDER BY 1`);
        const expected = Array.from({ length: 20 }, (_, i) => i + 1).filter((b) => seedShardOf(b, 2) === shard);
        expect(
          rows.map((r) => r.b),
          `${table} on shard ${shard}`,
        ).toEqual(expected);
      }
    }
    expect(await shardOfMap(3)).toBe(1);
    expect(await shardOfMap(4)).toBe(0);
  });

  it('routes reads and writes of each business to its shard', async () => {
    for (const business of [3, 4]) {
      const shard = seedShardOf(business, 2);
      const value = 1_000_000 + business + Math.random();
      const c = await owner(business);
      const w = await c.json('POST', '/api/metrics/ingest', {
        points: [{ metric: 'orders', ts: new Date().toISOString(), value }],
      });
      expect(w.status).toBe(202);
      for (const [s, url] of shardUrls.entries()) {
        const rows = await query(url, 'SELECT 1 FROM metric_points WHERE business_id = $1 AND value = $2', [
          business,
          value,
        ]);
        expect(rows, `business ${business} on shard ${s}`).toHaveLength(s === shard ? 1 : 0);
      }
      const series = await c.json<{ points: { max: number }[] }>('GET', '/api/metrics/orders/series?bucket=5m');
      expect(series.status).toBe(200);
      expect(series.body.points.some((p) => p.max === value)).toBe(true);
      const dash = await c.json('GET', '/api/dashboard');
      expect(dash.status).toBe(200);
    }
  });

  it('fans the overview out to every shard (platform admins only)', async () => {
    const c = new Client(app.url);
    await c.login(SEED_PLATFORM_ADMIN, SEED_PASSWORD);
    // Shard 0's part of the overview comes from its replica: let it replay the previous test's writes.
    await replayed();
    const r = await c.json<{
      businesses: number;
      totals: { points: number; businesses: number };
      shards: { shard: number; points: number; mapped: number }[];
    }>('GET', '/api/admin/overview');
    expect(r.status).toBe(200);
    const direct = await Promise.all(
      shardUrls.map((u) => query<{ n: number }>(u, 'SELECT count(*)::int AS n FROM metric_points')),
    );
    const perShard = direct.map((rows) => rows[0]?.n ?? 0);
    expect(r.body.shards.map((s) => s.points)).toEqual(perShard);
    expect(r.body.totals.points).toBe(perShard[0]! + perShard[1]!);
    expect(r.body.totals.businesses).toBe(20);
    expect(r.body.businesses).toBe(20);
    expect(r.body.shards.map((s) => s.mapped)).toEqual([10, 10]);
    const viewer = new Client(app.url);
    await viewer.login('viewer1@business-5.example', SEED_PASSWORD);
    expect((await viewer.json('GET', '/api/admin/overview')).status).toBe(403);
    expect((await (await owner(5)).json('GET', '/api/admin/overview')).status).toBe(403);
  });

  it('moves a business under concurrent writes without losing or duplicating a row', async () => {
    const business = 7;
    expect(await shardOfMap(business)).toBe(1);
    const before = await businessDigest(await connectTo(shardUrls[1]!), business);
    const seededSql = `SELECT md5(string_agg(metric || '|' || ts::text || '|' || value::text, ',' ORDER BY metric, ts, value)) AS md5
         FROM metric_points WHERE business_id = $1 AND NOT (metric = 'signups' AND value >= 2000000)`;
    const seededBefore = await query<{ md5: string }>(shardUrls[1]!, seededSql, [business]);
    const writers = await Promise.all([owner(business), owner(business)]);
    const accepted: number[] = [];
    const failed: number[] = [];
    let stop = false;
    let next = 0;
    const writeLoop = async (c: Client): Promise<void> => {
      for (let i = 0; i < 400 && !stop; i += 1) {
        const value = 2_000_000 + (next += 1);
        const r = await c.json('POST', '/api/metrics/ingest', {
          points: [{ metric: 'signups', ts: new Date().toISOString(), value }],
        });
        (r.status === 202 ? accepted : failed).push(value);
      }
    };
    // A reader of a window the writers never touch: every answer, before, during and after the move, must be whole.
    const reader = await owner(business);
    const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    const window = `/api/metrics/orders/series?bucket=5m&from=${new Date(to.getTime() - 6 * 3_600_000).toISOString()}&to=${to.toISOString()}`;
    const seen = new Set<number>();
    const readLoop = async (): Promise<void> => {
      for (let i = 0; i < 400 && !stop; i += 1) {
        const r = await reader.json<{ points: { count: number }[] }>('GET', window);
        seen.add(r.status === 200 ? r.body.points.reduce((n, p) => n + p.count, 0) : -r.status);
      }
    };
    const loops = [...writers.map(writeLoop), readLoop()];
    await new Promise((r) => setTimeout(r, 300));
    const moved = await moveBusiness(urls, business, 0);
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(loops);
    expect([...seen]).toEqual([72]);
    expect(moved).toMatchObject({ from: 1, to: 0 });
    expect(failed).toEqual([]);
    expect(accepted.length).toBeGreaterThan(5);
    expect(await shardOfMap(business)).toBe(0);
    // Everything is on shard 0 now, nothing is left on shard 1.
    const left = await query<{ n: number }>(
      shardUrls[1]!,
      'SELECT count(*)::int AS n FROM metric_points WHERE business_id = $1',
      [business],
    );
    expect(left[0]?.n).toBe(0);
    const rows = await query<{ value: number; n: number }>(
      shardUrls[0]!,
      "SELECT value, count(*)::int AS n FROM metric_points WHERE business_id = $1 AND metric = 'signups' AND value >= 2000000 GROUP BY value",
      [business],
    );
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(rows.map((r) => r.value).sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b));
    const after = await businessDigest(await connectTo(shardUrls[0]!), business);
    expect(after['metric_points']?.rows).toBe((before['metric_points']?.rows ?? 0) + accepted.length);
    expect(after['metric_writes']?.rows).toBe((before['metric_writes']?.rows ?? 0) + accepted.length);
    expect(after['metric_definitions']).toEqual(before['metric_definitions']);
    // The seeded rows came over unchanged: same digest of the rows that existed before the move.
    const seededAfter = await query<{ md5: string }>(shardUrls[0]!, seededSql, [business]);
    expect(seededAfter[0]?.md5).toBe(seededBefore[0]?.md5);
    // And back: the same rows, digest for digest, on shard 1 again; none left on shard 0.
    const back = await moveBusiness(urls, business, 1);
    expect(back).toMatchObject({ from: 0, to: 1, tables: after });
    expect(await businessDigest(await connectTo(shardUrls[1]!), business)).toEqual(after);
    expect(await query(shardUrls[0]!, 'SELECT 1 FROM metric_writes WHERE business_id = $1', [business])).toEqual([]);
  }, 60_000);

  it('drops old day partitions on every shard, keeping recent data', async () => {
    const old = new Date(Date.now() - 20 * 86_400_000);
    await query(shardUrls[1]!, "SELECT ensure_metric_partitions($1, $1::timestamptz + interval '1 day')", [old]);
    await query(shardUrls[1]!, "INSERT INTO metric_points VALUES (3, 'orders', $1, 42)", [old]);
    const partition = `metric_points_p${old.toISOString().slice(0, 10).replace(/-/g, '')}`;
    expect(await query(shardUrls[1]!, 'SELECT to_regclass($1) AS t', [partition])).toEqual([{ t: partition }]);
    const recentBefore = await query<{ n: number }>(
      shardUrls[1]!,
      "SELECT count(*)::int AS n FROM metric_points WHERE ts > now() - interval '1 day'",
    );
    const dropped = await dropPartitionsBefore(urls, new Date(Date.now() - 10 * 86_400_000));
    expect(dropped[1]).toBeGreaterThanOrEqual(2);
    expect(await query(shardUrls[1]!, 'SELECT to_regclass($1) AS t', [partition])).toEqual([{ t: null }]);
    expect(
      await query(shardUrls[1]!, 'SELECT 1 FROM metric_points WHERE ts < $1', [new Date(Date.now() - 10 * 86_400_000)]),
    ).toEqual([]);
    const recentAfter = await query<{ n: number }>(
      shardUrls[1]!,
      "SELECT count(*)::int AS n FROM metric_points WHERE ts > now() - interval '1 day'",
    );
    expect(recentAfter[0]?.n).toBe(recentBefore[0]?.n);
  });
});

describe('npm run shard', () => {
  const cli = (argv: string[]): { io: CliIo; out: string[] } => {
    const out: string[] = [];
    const env = { DATABASE_URL: urls.main, DATABASE_SHARD_URLS: urls.shards.join(',') };
    return {
      out,
      io: { argv, env, cwd: '/', stdout: { write: (c: string) => out.push(c) > 0 }, stderr: { write: () => true } },
    };
  };

  it('status lists every shard with its businesses and partitions', async () => {
    const run = cli(['status', '--json']);
    expect(await runShard(run.io)).toBe(0);
    const rows = JSON.parse(run.out.join('')) as { shard: number; businesses: number; partitions: number }[];
    expect(rows.map((r) => r.shard)).toEqual([0, 1]);
    expect(rows.reduce((n, r) => n + r.businesses, 0)).toBe(20);
    for (const r of rows) expect(r.partitions).toBeGreaterThan(2);
  });

  it('refuses a shard that does not exist, naming the flag', async () => {
    await expect(runShard(cli(['move', '--business', '3', '--to', '5']).io)).rejects.toThrow(
      /--to 5: there are 2 shard\(s\)/,
    );
    await expect(runShard(cli(['drop-before', '--date', 'yesterday']).io)).rejects.toThrow(/--date yesterday/);
  });
});

const open: pg.Client[] = [];
async function connectTo(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  open.push(c);
  return c;
}
afterAll(async () => {
  await Promise.all(open.map((c) => c.end()));
});
