/**
 * The shard map (table business_shards in the main database): which shard
 * holds a business's rows. Reads use a short in-process cache; writes read the
 * map under a shared per-business advisory lock, which a move takes
 * exclusively while it copies, so a write never lands on a shard being left.
 */
import type pg from 'pg';
import { unavailable } from '../http/errors.ts';

/** First key of the per-business advisory locks (the second is the business id); the move command uses the same. */
export const SHARD_LOCK_CLASS = 7243;

/** How long a read may use a cached map entry; a move waits longer than this before deleting the old copy. */
export const MAP_CACHE_MS = 1000;

/** How long a write waits for a move of its business to finish before answering 503. */
const MOVE_WAIT_MS = 10_000;

/** Something that runs a query: a pool, a client, a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Map lookups for one app instance. */
export class ShardMap {
  private readonly cache = new Map<number, { shard: number; until: number }>();

  constructor(
    private readonly main: Queryable,
    readonly shardCount: number,
  ) {}

  /** The shard to read a business from (cached for MAP_CACHE_MS); 0 when there is one shard or no map row. */
  async shardOf(businessId: number): Promise<number> {
    if (this.shardCount <= 1) return 0;
    const hit = this.cache.get(businessId);
    if (hit && hit.until > Date.now()) return hit.shard;
    const r = await this.main.query<{ shard: number }>('SELECT shard FROM business_shards WHERE business_id = $1', [
      businessId,
    ]);
    return this.remember(businessId, r.rows[0]?.shard ?? 0);
  }

  /**
   * Inside a main-database transaction: takes the business's shared lock
   * (retrying while a move holds it exclusively) and returns its shard. The
   * lock lasts until that transaction ends, so the write must finish first.
   */
  async lockForWrite(tx: Queryable, businessId: number): Promise<number> {
    const deadline = Date.now() + MOVE_WAIT_MS;
    for (;;) {
      const r = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock_shared($1, $2::int) AS locked', [
        SHARD_LOCK_CLASS,
        businessId,
      ]);
      if (r.rows[0]?.locked) {
        // A separate statement: its snapshot is taken after the lock, so it sees the map a finished move committed.
        const m = await tx.query<{ shard: number }>('SELECT shard FROM business_shards WHERE business_id = $1', [
          businessId,
        ]);
        return this.remember(businessId, m.rows[0]?.shard ?? 0);
      }
      if (Date.now() > deadline) {
        throw unavailable('BUSINESS_MOVING', 'this business is moving to another shard, try again shortly', 2);
      }
      await sleep(50);
    }
  }

  private remember(businessId: number, shard: number): number {
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(businessId, { shard, until: Date.now() + MAP_CACHE_MS });
    return shard;
  }
}
