import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.ts';
import { isConnectionError, unavailable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import { createPool } from './pools.ts';
import type { NamedPool } from './pools.ts';
import { QueryStats } from './query-stats.ts';
import type { Scope } from './read-your-writes.ts';
import { ReadYourWrites } from './read-your-writes.ts';
import { ReplicaHealth } from './replica-health.ts';
import { ShardMap } from './shard-map.ts';
import { noteServedBy } from './trace.ts';
import type { Registry } from 'prom-client';

export type { Scope } from './read-your-writes.ts';

/** A client inside a write transaction; its queries are timed like any other. */
export interface Tx {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * The only way features reach PostgreSQL: reads go to a healthy replica unless
 * the scope has a write the replica has not replayed yet; writes go to the
 * primary in a transaction and record the WAL position they produced.
 */
export class Database {
  readonly primary: NamedPool;
  readonly replica: NamedPool | undefined;
  readonly health: ReplicaHealth | undefined;
  readonly stats: QueryStats;
  /** Extra shard primaries: shard i is shards[i - 1]; shard 0 is `primary` (with its replica). */
  readonly shards: NamedPool[];
  readonly shardMap: ShardMap;
  private readonly ryw: ReadYourWrites;
  private partitionTimer: NodeJS.Timeout | undefined;

  constructor(
    config: AppConfig,
    redis: Redis,
    registry: Registry,
    private readonly log: Logger,
  ) {
    const timeout = config.db.statementTimeoutMs;
    this.primary = createPool(
      'primary',
      config.databaseUrl,
      { max: config.db.primaryPoolMax, statementTimeoutMs: timeout },
      log,
    );
    if (config.replicaUrl) {
      this.replica = createPool(
        'replica',
        config.replicaUrl,
        { max: config.db.replicaPoolMax, statementTimeoutMs: timeout },
        log,
      );
      this.health = new ReplicaHealth(this.primary.pool, this.replica.pool, config.replica, log);
    }
    this.stats = new QueryStats(registry, config.db.slowQueryMs);
    this.shards = config.shardUrls.map((url) =>
      createPool('primary', url, { max: config.db.primaryPoolMax, statementTimeoutMs: timeout }, log),
    );
    this.shardMap = new ShardMap(this.primary.pool, 1 + this.shards.length);
    this.ryw = new ReadYourWrites(redis, log);
  }

  async start(): Promise<void> {
    // Not awaited: the migration and the seed made the coming days already, and a down primary must not delay start-up.
    void this.ensurePartitions();
    // Day partitions are made a week ahead, so an hourly job keeps far more than enough margin.
    this.partitionTimer = setInterval(() => void this.ensurePartitions(), 3_600_000);
    this.partitionTimer.unref();
    if (!this.health) return;
    await this.health.probe();
    this.health.start();
  }

  async read<R extends pg.QueryResultRow>(scope: Scope, sql: string, params: unknown[] = []): Promise<R[]> {
    const target = await this.chooseForRead(scope);
    try {
      return await this.timed(target, sql, params);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      const other = target === this.replica ? this.primary : this.healthyReplica();
      if (!other || other === target)
        throw unavailable('DATABASE_UNAVAILABLE', 'the database is unavailable, try again shortly', 2, err);
      if (target === this.replica) this.health?.markDown(`read failed: ${(err as Error).message}`);
      this.log.warn('read moved to the other node', { from: target.role, to: other.role });
      return this.timed(other, sql, params);
    }
  }

  /** A read that must see every committed write (e.g. a sign-in right after the account was created): the primary, or the replica if it is down. */
  async readLatest<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return await this.timed(this.primary, sql, params);
    } catch (err) {
      const replica = this.healthyReplica();
      if (!isConnectionError(err) || !replica) throw err;
      return this.timed(replica, sql, params);
    }
  }

  /** Runs `fn` in a transaction on the primary, then remembers the write's WAL position for `scope`. */
  async write<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.primary.pool.connect();
    } catch (err) {
      throw unavailable('DATABASE_UNAVAILABLE', 'writes are unavailable while the primary database is down', 5, err);
    }
    const tx: Tx = { query: (sql, params) => this.timedOn(client, 'primary', sql, params ?? []) };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      // The insert position covers our commit record even with synchronous_commit = off, where
      // pg_current_wal_lsn() (the written position) may still be behind it.
      const lsn = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      client.release();
      noteServedBy('primary');
      const text = lsn.rows[0]?.lsn;
      if (text && this.replica) await this.ryw.recordWrite(scope, text);
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(isConnectionError(err) ? (err as Error) : undefined);
      if (isConnectionError(err))
        throw unavailable('DATABASE_UNAVAILABLE', 'writes are unavailable while the primary database is down', 5, err);
      throw err;
    }
  }

  /**
   * A read of a per-business table: on the business's shard (shard 0 reads as
   * `read` does, from the replica when it is fresh enough).
   */
  async readBusiness<R extends pg.QueryResultRow>(
    businessId: number,
    scope: Scope,
    sql: string,
    params: unknown[] = [],
  ): Promise<R[]> {
    const shard = await this.shardMap.shardOf(businessId);
    if (shard === 0) return this.read(scope, sql, params);
    return this.timed(this.shardPool(shard), sql, params);
  }

  /**
   * A write to per-business tables, in a transaction on the business's shard.
   * With several shards the business's shared lock is held (in a main-database
   * transaction) until the shard commits, so a move waits for it or it waits for a move.
   */
  async writeBusiness<T>(businessId: number, scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.shards.length === 0) return this.write(scope, fn);
    return this.write(scope, async (mainTx) => {
      const shard = await this.shardMap.lockForWrite(mainTx, businessId);
      if (shard === 0) return fn(mainTx);
      return this.onShard(shard, fn);
    });
  }

  /** A cross-business query run on every shard's primary (shard 0 as `read`), one result per shard. */
  async fanOut<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<{ shard: number; rows: R[] }[]> {
    const all = [this.read<R>({}, sql, params), ...this.shards.map((p) => this.timed<R>(p, sql, params))];
    return (await Promise.all(all)).map((rows, shard) => ({ shard, rows }));
  }

  /** Connection figures of both pools (this instance). */
  poolStats(): Record<'primary' | 'replica', { total: number; idle: number; waiting: number } | null> {
    const s = (p: NamedPool | undefined): { total: number; idle: number; waiting: number } | null =>
      p ? { total: p.pool.totalCount, idle: p.pool.idleCount, waiting: p.pool.waitingCount } : null;
    return { primary: s(this.primary), replica: s(this.replica) };
  }

  /** Unscoped, untimed query on one node, for operations (probes, pg_stat_*), never for features. */
  async admin<R extends pg.QueryResultRow>(
    node: 'primary' | 'replica',
    sql: string,
    params: unknown[] = [],
  ): Promise<R[]> {
    const p = node === 'replica' ? this.replica : this.primary;
    if (!p) return [];
    return (await p.pool.query<R>(sql, params)).rows;
  }

  /** Creates the metric_points day partitions from yesterday to a week ahead on every shard (idempotent). */
  async ensurePartitions(): Promise<void> {
    const sql = "SELECT ensure_metric_partitions(now() - interval '1 day', now() + interval '7 days')";
    const results = await Promise.allSettled([this.primary, ...this.shards].map((p) => p.pool.query(sql)));
    for (const r of results) {
      if (r.status === 'rejected') this.log.warn('metric partitions not created', { err: (r.reason as Error).message });
    }
  }

  async close(): Promise<void> {
    if (this.partitionTimer) clearInterval(this.partitionTimer);
    this.health?.stop();
    await Promise.allSettled([
      this.primary.pool.end(),
      this.replica?.pool.end(),
      ...this.shards.map((s) => s.pool.end()),
    ]);
  }

  private shardPool(shard: number): NamedPool {
    const pool = this.shards[shard - 1];
    if (!pool)
      throw new Error(
        `the shard map names shard ${shard}, but DATABASE_SHARD_URLS lists only ${this.shards.length} extra shard(s)`,
      );
    return pool;
  }

  private async onShard<T>(shard: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.shardPool(shard).pool.connect();
    } catch (err) {
      throw unavailable('DATABASE_UNAVAILABLE', `writes are unavailable while shard ${shard} is down`, 5, err);
    }
    try {
      await client.query('BEGIN');
      const result = await fn({ query: (sql, params) => this.timedOn(client, 'primary', sql, params ?? []) });
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(isConnectionError(err) ? (err as Error) : undefined);
      throw err;
    }
  }

  private healthyReplica(): NamedPool | undefined {
    return this.replica && this.health?.state.healthy ? this.replica : undefined;
  }

  private async chooseForRead(scope: Scope): Promise<NamedPool> {
    const replica = this.healthyReplica();
    if (!replica || !this.health) return this.primary;
    const needed = await this.ryw.required(scope);
    if (needed === null) return replica;
    const replayed = this.health.state.replayLsn;
    if (replayed !== null && replayed >= needed) return replica;
    try {
      const fresh = await this.health.refreshReplayLsn();
      if (fresh !== null && fresh >= needed) return replica;
    } catch (err) {
      this.health.markDown(`replay position unreadable: ${(err as Error).message}`);
    }
    return this.primary;
  }

  private async timed<R extends pg.QueryResultRow>(target: NamedPool, sql: string, params: unknown[]): Promise<R[]> {
    const start = performance.now();
    const result = await target.pool.query<R>(sql, params);
    this.stats.observe(target.role, sql, performance.now() - start);
    noteServedBy(target.role);
    return result.rows;
  }

  private async timedOn<R extends pg.QueryResultRow>(
    client: pg.PoolClient,
    role: 'primary',
    sql: string,
    params: unknown[],
  ): Promise<pg.QueryResult<R>> {
    const start = performance.now();
    const result = await client.query<R>(sql, params);
    this.stats.observe(role, sql, performance.now() - start);
    return result;
  }
}
