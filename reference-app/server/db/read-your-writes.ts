import type { Redis } from 'ioredis';
import { redisReady } from '../cache/redis.ts';
import { rywKey } from '../cache/keys.ts';
import type { Logger } from '../log.ts';
import { formatLsn, parseLsn } from './lsn.ts';

/** Whose writes a read must see: the user's own, and their business's (so shared caches are never rebuilt stale). */
export interface Scope {
  userId?: number | undefined;
  businessId?: number | undefined;
}

const REMEMBER_MS = 60_000;

/**
 * Remembers the primary's WAL position after each write, per user and per
 * business, in Redis (so every instance sees it) and in-process (so it still
 * holds when Redis is down). A read for that scope goes to the primary until
 * the replica has replayed past it.
 */
export class ReadYourWrites {
  private readonly local = new Map<string, { lsn: bigint; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  async recordWrite(scope: Scope, lsnText: string): Promise<void> {
    const lsn = parseLsn(lsnText);
    if (lsn === null) return;
    const keys = scopeKeys(scope);
    const now = Date.now();
    const until = now + REMEMBER_MS;
    if (this.local.size > 10_000) {
      for (const [k, e] of this.local) if (e.until < now) this.local.delete(k);
    }
    for (const k of keys) {
      const prev = this.local.get(k);
      if (!prev || prev.lsn < lsn) this.local.set(k, { lsn, until });
    }
    if (!redisReady(this.redis)) return;
    try {
      const multi = this.redis.multi();
      for (const k of keys) multi.set(k, formatLsn(lsn), 'PX', REMEMBER_MS);
      await multi.exec();
    } catch (err) {
      this.log.warn('read-your-writes position not shared', { err: (err as Error).message });
    }
  }

  /** The highest write position this scope must see, or null when it has no recent write. */
  async required(scope: Scope): Promise<bigint | null> {
    const keys = scopeKeys(scope);
    if (keys.length === 0) return null;
    let best: bigint | null = null;
    const now = Date.now();
    for (const k of keys) {
      const e = this.local.get(k);
      if (e && e.until < now) this.local.delete(k);
      else if (e && (best === null || e.lsn > best)) best = e.lsn;
    }
    if (!redisReady(this.redis)) return best;
    try {
      const values = await this.redis.mget(...keys);
      for (const v of values) {
        const lsn = parseLsn(v);
        if (lsn !== null && (best === null || lsn > best)) best = lsn;
      }
    } catch {
      // Redis just went away: the in-process positions are the best we have.
    }
    return best;
  }
}

function scopeKeys(scope: Scope): string[] {
  const keys: string[] = [];
  if (scope.userId !== undefined) keys.push(rywKey('user', scope.userId));
  if (scope.businessId !== undefined) keys.push(rywKey('business', scope.businessId));
  return keys;
}
