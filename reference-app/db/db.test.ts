/**
 * Migrations and the seed, each against a database of its own on the test
 * run's primary (the shared, seeded database is left alone), plus the seeded
 * shared database as the app sees it.
 */
import { scryptSync } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ToolkitError } from '../../toolkit/errors.ts';
import type { CliIo } from '../../toolkit/cli/io.ts';
import { runMigrate, runSeed } from './cli.ts';
import { listMigrations, migrate } from './migrate.ts';
import { METRICS, SCALES, seriesValues, timeline } from './seed-data.ts';
import { SEED_PASSWORD, SEED_PLATFORM_ADMIN, seedDatabase } from './seed.ts';

const urls = inject('stackUrls');
const created: string[] = [];

/** A fresh empty database on the primary; its URL on the primary and the replica. */
async function freshDatabase(label: string): Promise<{ primary: string; replica: string }> {
  const name = `${label}_${process.pid}_${created.length}`;
  await query(urls.primary, `CREATE DATABASE ${name}`);
  created.push(name);
  const swap = (url: string): string => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
  return { primary: swap(urls.primary), replica: swap(urls.replica) };
}

async function query<T extends Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of created) await query(urls.primary, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe('migrate', () => {
  it('applies every migration once, in order, and records them; a second run applies nothing', async () => {
    const db = await freshDatabase('mig');
    const all = await listMigrations();
    expect(all.slice(0, 5).map((m) => m.name)).toEqual([
      'init',
      'shards_and_partitions',
      'metric_value_range',
      'session_revocations',
      'platform_admin',
    ]);
    const first = await migrate(db.primary);
    expect(first.applied.map((m) => m.version)).toEqual(all.map((m) => m.version));
    const second = await migrate(db.primary);
    expect(second).toEqual({ applied: [], alreadyApplied: all.length });
    const rows = await query(db.primary, 'SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(all.map((m) => ({ version: m.version, name: m.name })));
  });

  it('rolls a failing migration back whole and names its file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(join(dir, '001_ok.sql'), 'CREATE TABLE ok_table (id int);');
    await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;');
    const db = await freshDatabase('migfail');
    const err = await migrate(db.primary, { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolkitError);
    expect((err as ToolkitError).message).toMatch(/002_broken\.sql: relation "no_such_table" does not exist/);
    const tables = await query<{ t: string }>(
      db.primary,
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.map((r) => r.t)).toEqual(['ok_table', 'schema_migrations']);
  });

  it('003 drops points outside ±1e15 and recomputes the rollups they broke, then refuses such values', async () => {
    const db = await freshDatabase('migrange');
    const early = await mkdtemp(join(tmpdir(), 'migrations-'));
    for (const m of (await listMigrations()).filter((x) => x.version < 3))
      await writeFile(join(early, basename(m.file)), await readFile(m.file));
    await migrate(db.primary, { dir: early });
    const hour = '2026-01-01T10:00:00Z';
    await query(
      db.primary,
      `INSERT INTO metric_points (business_id, metric, ts, value) VALUES
         (1, 'revenue', $1::timestamptz + interval '1 minute', 5), (1, 'revenue', $1::timestamptz + interval '2 minutes', 1.7e308),
         (1, 'orders', $1::timestamptz, 'NaN')`,
      [hour],
    );
    await query(
      db.primary,
      `INSERT INTO metric_rollups_hourly (business_id, metric, bucket, count, sum, min, max) VALUES
         (1, 'revenue', $1, 2, 1.7e308, 5, 1.7e308), (1, 'orders', $1, 1, 'NaN', 'NaN', 'NaN'), (1, 'signups', $1, 1, 3, 3, 3)`,
      [hour],
    );
    await migrate(db.primary);
    const rollups = await query(
      db.primary,
      'SELECT metric, count::int AS count, sum, min, max FROM metric_rollups_hourly ORDER BY metric',
    );
    expect(rollups).toEqual([
      { metric: 'revenue', count: 1, sum: 5, min: 5, max: 5 },
      { metric: 'signups', count: 1, sum: 3, min: 3, max: 3 },
    ]);
    expect(await query(db.primary, 'SELECT value FROM metric_points ORDER BY value')).toEqual([{ value: 5 }]);
    await expect(
      query(db.primary, "INSERT INTO metric_points (business_id, metric, ts, value) VALUES (1, 'x', now(), 2e15)"),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('rejects misnamed migration files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(join(dir, '1-init.sql'), 'SELECT 1;');
    await expect(listMigrations(dir)).rejects.toThrow(/must be named NNN_name\.sql/);
  });
});

describe('seed generator', () => {
  it('is deterministic per seed', () => {
    const tl = timeline(SCALES.small, new Date('2026-01-01T00:02:00Z'));
    expect(tl.texts.at(-1)).toBe('2026-01-01T00:00:00.000Z');
    expect(seriesValues(7, 3, 0, tl.times)).toEqual(seriesValues(7, 3, 0, tl.times));
    expect(seriesValues(8, 3, 0, tl.times)).not.toEqual(seriesValues(7, 3, 0, tl.times));
  });

  it('loads a small data set whose rollups match its points, and waits for the replica', async () => {
    const db = await freshDatabase('seed');
    const now = new Date();
    const result = await seedDatabase({ url: db.primary, replicaUrl: db.replica, scale: 'small', seed: 7, now });
    const expectedPoints = SCALES.small.businesses * METRICS.length * SCALES.small.days * 288;
    expect(result).toMatchObject({ points: expectedPoints, businesses: SCALES.small.businesses });
    // The replica already has everything: no waiting here.
    const [counts] = await query<{ points: number; defs: number; users: number; writes: number; snaps: number }>(
      db.replica,
      `SELECT
      (SELECT count(*)::int FROM metric_points) AS points, (SELECT count(*)::int FROM metric_definitions) AS defs,
      (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM metric_writes) AS writes,
      (SELECT count(*)::int FROM external_snapshots) AS snaps`,
    );
    expect(counts).toEqual({
      points: expectedPoints,
      defs: SCALES.small.businesses * 8,
      users: result.users,
      writes: SCALES.small.businesses * 3,
      snaps: 3,
    });
    const mismatches = await query(
      db.primary,
      `
      SELECT r.business_id, r.metric, r.bucket FROM metric_rollups_hourly r
      FULL JOIN (SELECT business_id, metric, date_trunc('hour', ts) AS bucket, count(*) AS c, sum(value) AS s, min(value) AS lo, max(value) AS hi
                   FROM metric_points GROUP BY 1, 2, 3) p USING (business_id, metric, bucket)
      WHERE r.count IS DISTINCT FROM p.c OR abs(r.sum - p.s) > 1e-6 * greatest(1, abs(p.s)) OR r.min <> p.lo OR r.max <> p.hi`,
    );
    expect(mismatches).toEqual([]);
    const [last] = await query<{ ts: Date }>(db.primary, 'SELECT max(ts) AS ts FROM metric_points');
    const step = 5 * 60_000;
    expect(last?.ts.getTime()).toBe(Math.floor(now.getTime() / step) * step);
  });
});

describe('the seeded test database', () => {
  it('has the documented accounts with the seed password', async () => {
    const rows = await query<{ email: string; role: string; password_hash: string }>(
      urls.primary,
      "SELECT email, role, password_hash FROM users WHERE business_id = 2 AND email LIKE '%@business-2.example' ORDER BY id",
    );
    expect(rows.map((r) => [r.email, r.role])).toEqual([
      ['owner@business-2.example', 'owner'],
      ['viewer1@business-2.example', 'viewer'],
      ['viewer2@business-2.example', 'viewer'],
    ]);
    const [scheme, N, r, p, salt, hash] = rows[0]?.password_hash.split('$') ?? [];
    expect([scheme, N, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    const again = scryptSync(SEED_PASSWORD, Buffer.from(salt ?? '', 'base64'), 32, { N: 16384, r: 8, p: 1 });
    expect(again.toString('base64')).toBe(hash);
    const admins = await query(
      urls.primary,
      "SELECT email, business_id::int AS business_id FROM users WHERE role = 'platform_admin'",
    );
    expect(admins).toEqual([{ email: SEED_PLATFORM_ADMIN, business_id: 1 }]);
  });

  it('has the eight metrics of API.md for every business', async () => {
    const rows = await query<{ metric: string }>(
      urls.primary,
      'SELECT metric FROM metric_definitions WHERE business_id = 1 ORDER BY metric',
    );
    expect(rows.map((r) => r.metric)).toEqual([
      'active_users',
      'avg_order_value',
      'churn_rate',
      'conversion_rate',
      'orders',
      'page_views',
      'revenue',
      'signups',
    ]);
  });
});

describe('migrate and seed commands', () => {
  const cli = (argv: string[], env: Record<string, string | undefined>): { io: CliIo; err: string[] } => {
    const err: string[] = [];
    return {
      err,
      io: { argv, env, cwd: tmpdir(), stdout: { write: () => true }, stderr: { write: (c: string) => err.push(c) } },
    };
  };

  it('migrate targets DATABASE_URL', async () => {
    const db = await freshDatabase('migcli');
    const run = cli([], { DATABASE_URL: db.primary });
    expect(await runMigrate(run.io)).toBe(0);
    expect(run.err.join('')).toContain('applied migration 001_init');
  });

  it('without DATABASE_URL or a running stack, says how to get one', async () => {
    await expect(runMigrate(cli([], {}).io)).rejects.toThrow(
      /DATABASE_URL is not set and stack "default" is not running/,
    );
  });

  it('rejects an unknown scale', async () => {
    await expect(runSeed(cli(['--scale', 'huge'], {}).io)).rejects.toThrow(
      /--scale huge: expected small, medium or large/,
    );
  });
});
