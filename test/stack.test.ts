/**
 * The test run's stack (started by global-setup): replication works, and the
 * dashboard's queries use the composite indexes of 001_init.sql on seeded data.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const urls = inject('stackUrls');
let primary: pg.Client;
let replica: pg.Client;

beforeAll(async () => {
  primary = new pg.Client({ connectionString: urls.primary });
  replica = new pg.Client({ connectionString: urls.replica });
  await Promise.all([primary.connect(), replica.connect()]);
});
afterAll(async () => {
  await Promise.all([primary.end(), replica.end()]);
});

describe('the test stack', () => {
  it('exports its URLs to the workers', () => {
    expect(process.env.DATABASE_URL).toBe(urls.primary);
    expect(process.env.DATABASE_REPLICA_URL).toBe(urls.replica);
    expect(process.env.REDIS_URL).toBe(urls.redis);
  });

  it('makes a write on the primary readable on the replica', async () => {
    const slug = `replication-${randomUUID()}`;
    const { rows } = await primary.query<{ id: string }>(
      'INSERT INTO businesses (slug, name) VALUES ($1, $2) RETURNING id',
      [slug, 'Replication check'],
    );
    const id = rows[0]?.id;
    let seen: unknown[] = [];
    for (let i = 0; i < 100 && seen.length === 0; i += 1) {
      seen = (await replica.query('SELECT id FROM businesses WHERE slug = $1', [slug])).rows;
      if (seen.length === 0) await sleep(50);
    }
    expect(seen).toEqual([{ id }]);
    await expect(
      replica.query('INSERT INTO businesses (slug, name) VALUES ($1, $2)', [`${slug}-x`, 'x']),
    ).rejects.toThrow(/read-only/);
    await primary.query('DELETE FROM businesses WHERE id = $1', [id]);
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function scansOf(sql: string): Promise<PlanNode[]> {
  const { rows } = await replica.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`);
  const plan = rows[0]?.['QUERY PLAN'][0].Plan;
  if (!plan) throw new Error('no plan');
  return nodes(plan).filter((n) => n['Relation Name'] !== undefined);
}

const INDEX_SCANS = ['Index Scan', 'Index Only Scan'];

/** metric_points is partitioned by day (migration 002): scans hit its partitions, each through its copy of the composite index. */
const POINT_PARTITION = /^metric_points_(p\d{8}|default)$/;

function expectIndexOnlyPerPartition(scans: PlanNode[]): void {
  const points = scans.filter((s) => POINT_PARTITION.test(s['Relation Name'] ?? ''));
  expect(points.length).toBeGreaterThan(0);
  for (const s of points)
    expect([s['Node Type'], s['Index Name']]).toEqual([
      'Index Only Scan',
      `${s['Relation Name']}_business_id_metric_ts_value_idx`,
    ]);
}

describe('dashboard queries on seeded data (run on the replica, where the app reads)', () => {
  it('latest value per metric: index-only scans of (the partitions of) metric_points_business_metric_ts_idx per metric', async () => {
    const scans = await scansOf(`
      SELECT d.metric, p.ts, p.value FROM metric_definitions d
      CROSS JOIN LATERAL (SELECT ts, value FROM metric_points
                           WHERE business_id = d.business_id AND metric = d.metric ORDER BY ts DESC LIMIT 2) p
      WHERE d.business_id = 3`);
    expectIndexOnlyPerPartition(scans);
    expect(scans.map((s) => s['Node Type'])).not.toContain('Seq Scan');
    // Every partition's index is a partition of the one composite index.
    const { rows } = await replica.query<{ partitions: number; indexes: number }>(`SELECT
      (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'metric_points'::regclass) AS partitions,
      (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'metric_points_business_metric_ts_idx'::regclass) AS indexes`);
    expect(rows[0]?.indexes).toBe(rows[0]?.partitions);
  });

  it('24 h rollups of a business: an index scan of metric_rollups_hourly', async () => {
    const scans = await scansOf(`
      SELECT metric, bucket, count, sum, min, max FROM metric_rollups_hourly
       WHERE business_id = 3 AND bucket >= now() - interval '24 hours' ORDER BY metric, bucket`);
    expect(scans).toHaveLength(1);
    expect(INDEX_SCANS).toContain(scans[0]?.['Node Type']);
    // Either index leading with business_id serves it; the planner picks the primary key when it saves the sort.
    expect(['metric_rollups_hourly_pkey', 'metric_rollups_business_bucket_idx']).toContain(scans[0]?.['Index Name']);
  });

  it('a series range: index-only scans of (the partitions of) metric_points_business_metric_ts_idx', async () => {
    const scans = await scansOf(`
      SELECT ts, value FROM metric_points
       WHERE business_id = 5 AND metric = 'orders' AND ts >= now() - interval '6 hours' AND ts < now() ORDER BY ts`);
    expectIndexOnlyPerPartition(scans);
    expect(scans.map((s) => s['Node Type'])).not.toContain('Seq Scan');
  });
});
