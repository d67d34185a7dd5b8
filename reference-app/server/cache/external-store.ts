import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { externalKey, externalRefreshLockKey } from './keys.ts';
import { redisReady } from './redis.ts';
import { RELEASE_LOCK } from './scripts.ts';

/** One source's last good answer and when it was fetched. */
export interface ExternalEntry {
  fetchedAt: number;
  data: unknown;
}

// Kept well past the TTL: an old answer is still worth serving (marked stale) when the upstream is down.
const KEEP_MS = 7 * 24 * 3600 * 1000;
const LOCAL_RECHECK_MS = 1_000;

/**
 * External API answers, shared through Redis with an in-process copy. Their
 * TTL is not an expiry: a scheduled job refreshes them before it passes.
 */
export class ExternalStore {
  private readonly local = new Map<string, { entry: ExternalEntry; checkedAt: number }>();

  constructor(private readonly redis: Redis) {}

  async read(source: string): Promise<ExternalEntry | undefined> {
    const now = Date.now();
    const l = this.local.get(source);
    if (l && (now - l.checkedAt < LOCAL_RECHECK_MS || !redisReady(this.redis))) return l.entry;
    try {
      const raw = await this.redis.get(externalKey(source));
      if (raw === null) return l?.entry;
      const entry = JSON.parse(raw) as ExternalEntry;
      const best = l && l.entry.fetchedAt > entry.fetchedAt ? l.entry : entry;
      this.local.set(source, { entry: best, checkedAt: now });
      return best;
    } catch {
      return l?.entry;
    }
  }

  async write(source: string, entry: ExternalEntry): Promise<void> {
    this.local.set(source, { entry, checkedAt: Date.now() });
    if (!redisReady(this.redis)) return;
    await this.redis.set(externalKey(source), JSON.stringify(entry), 'PX', KEEP_MS).catch(() => undefined);
  }

  /** Runs `fn` if no other instance is refreshing this source right now; true when it ran. */
  async withRefreshLock(source: string, fn: () => Promise<void>): Promise<boolean> {
    if (!redisReady(this.redis)) {
      await fn();
      return true;
    }
    const token = randomUUID();
    const key = externalRefreshLockKey(source);
    const got = await this.redis.set(key, token, 'PX', 10_000, 'NX').catch(() => null);
    if (got !== 'OK') return false;
    try {
      await fn();
      return true;
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, key, token).catch(() => undefined);
    }
  }
}
