import type { Database } from '../../db/database.ts';

/** Per-shard totals of the per-business tables. */
export interface ShardTotals {
  businesses: number;
  points: number;
  rollups: number;
  writes: number;
}

/** The cross-business (operator) queries: global tables on the main database, per-business tables fanned out to every shard. */
export class AdminRepository {
  constructor(private readonly db: Database) {}

  async globalCounts(): Promise<{ businesses: number; users: number; mapped: Map<number, number> }> {
    const [counts, map] = await Promise.all([
      this.db.read<{ businesses: number; users: number }>(
        {},
        'SELECT (SELECT count(*) FROM businesses) AS businesses, (SELECT count(*) FROM users) AS users',
      ),
      this.db.read<{ shard: number; n: number }>({}, 'SELECT shard, count(*) AS n FROM business_shards GROUP BY shard'),
    ]);
    return {
      businesses: counts[0]?.businesses ?? 0,
      users: counts[0]?.users ?? 0,
      mapped: new Map(map.map((r) => [r.shard, r.n])),
    };
  }

  /** One row per shard; `businesses` counts the businesses with metric definitions there. */
  async shardTotals(): Promise<{ shard: number; totals: ShardTotals }[]> {
    const results = await this.db.fanOut<ShardTotals>(
      `SELECT (SELECT count(DISTINCT business_id) FROM metric_definitions) AS businesses,
              (SELECT count(*) FROM metric_points) AS points,
              (SELECT count(*) FROM metric_rollups_hourly) AS rollups,
              (SELECT count(*) FROM metric_writes) AS writes`,
    );
    return results.map(({ shard, rows }) => ({
      shard,
      totals: rows[0] ?? { businesses: 0, points: 0, rollups: 0, writes: 0 },
    }));
  }
}
