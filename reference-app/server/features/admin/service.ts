import type { AdminRepository, ShardTotals } from './repository.ts';

/** GET /api/admin/overview: totals across every business and every shard. */
export interface Overview {
  businesses: number;
  users: number;
  totals: ShardTotals;
  shards: (ShardTotals & { shard: number; mapped: number })[];
}

export class AdminService {
  constructor(private readonly repo: AdminRepository) {}

  async overview(): Promise<Overview> {
    const [global, perShard] = await Promise.all([this.repo.globalCounts(), this.repo.shardTotals()]);
    const totals: ShardTotals = { businesses: 0, points: 0, rollups: 0, writes: 0 };
    for (const { totals: t } of perShard) {
      totals.businesses += t.businesses;
      totals.points += t.points;
      totals.rollups += t.rollups;
      totals.writes += t.writes;
    }
    return {
      businesses: global.businesses,
      users: global.users,
      totals,
      shards: perShard.map(({ shard, totals: t }) => ({ shard, mapped: global.mapped.get(shard) ?? 0, ...t })),
    };
  }
}
