import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.ts';
import type { ServedBy } from '../db/trace.ts';
import { traced } from '../db/trace.ts';
import type { Logger } from '../log.ts';
import type { CacheCounters } from './counters.ts';
import type { Invalidation } from './invalidation.ts';
import { kindOfScope, lockKey, valueKey, versionKey } from './keys.ts';
import type { CachedBody, LocalCache } from './local-cache.ts';
import { makeCachedBody } from './local-cache.ts';
import { redisReady } from './redis.ts';
import { RELEASE_LOCK, SET_IF_VERSION } from './scripts.ts';

export type CacheStatus = 'HIT' | 'MISS' | 'STALE';

/** A response ready to send, with X-Cache and X-Served-By facts. */
export interface CacheResult {
  entry: CachedBody;
  status: CacheStatus;
  servedBy: ServedBy;
}

const LOCK_MS = 5_000;

/**
 * Kinds kept in the in-process layer too. userData is not: a user reads their
 * profile right after changing it, possibly on another instance, and Redis'
 * version key (bumped before the write is answered) is what makes that read
 * see the change; an L1 copy would depend on the pub/sub message arriving first.
 */
const LOCAL_KINDS: ReadonlySet<string> = new Set(['metrics']);
const WAIT_FOR_OTHER_BUILDER_MS = 3_000;

/**
 * Read-through cache of serialised responses: in-process L1, then Redis, then
 * the builder. One rebuild per key under concurrency: in-process single-flight
 * plus a Redis lock across instances. With Redis down the cache is bypassed.
 */
export class ResponseCache {
  private readonly inflight = new Map<string, Promise<CacheResult>>();

  constructor(
    private readonly redis: Redis,
    private readonly local: LocalCache,
    private readonly invalidation: Invalidation,
    private readonly config: AppConfig,
    private readonly counters: CacheCounters,
    private readonly log: Logger,
  ) {}

  async get(scope: string, name: string, build: () => Promise<unknown>): Promise<CacheResult> {
    const kind = kindOfScope(scope);
    if (!this.config.cacheEnabled || !redisReady(this.redis)) return this.bypass(kind, build);
    const now = Date.now();
    const useLocal = LOCAL_KINDS.has(kind);
    if (useLocal && this.invalidation.listening()) {
      const hit = this.local.get(scope, name, now);
      if (hit) {
        this.counters.count(kind, 'HIT');
        return { entry: hit, status: 'HIT', servedBy: 'cache' };
      }
    }
    const flightKey = `${scope}\u0000${name}`;
    let flight = this.inflight.get(flightKey);
    if (!flight) {
      flight = this.fromRedisOrBuild(scope, name, build).finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, flight);
    }
    const result = await flight;
    this.counters.count(kind, result.status);
    return result;
  }

  /** An in-process hit without any I/O, or undefined (then use `get`). Counts the hit. */
  peek(scope: string, name: string): CacheResult | undefined {
    if (!this.config.cacheEnabled || !LOCAL_KINDS.has(kindOfScope(scope)) || !this.invalidation.listening())
      return undefined;
    const entry = this.local.get(scope, name, Date.now());
    if (!entry) return undefined;
    this.counters.count(kindOfScope(scope), 'HIT');
    return { entry, status: 'HIT', servedBy: 'cache' };
  }

  private async bypass(kind: ReturnType<typeof kindOfScope>, build: () => Promise<unknown>): Promise<CacheResult> {
    this.counters.build(kind);
    const { value, servedBy } = await traced(build);
    const now = Date.now();
    this.counters.count(kind, 'MISS');
    return { entry: makeCachedBody(JSON.stringify(value), now, now), status: 'MISS', servedBy };
  }

  private async fromRedisOrBuild(scope: string, name: string, build: () => Promise<unknown>): Promise<CacheResult> {
    const ttlMs = this.config.cache[kindOfScope(scope)].ttlMs;
    let version: number;
    try {
      version = Number((await this.redis.get(versionKey(scope))) ?? '0');
      this.local.setVersion(scope, version);
      const stored = await this.readStored(valueKey(scope, version, name));
      if (stored) {
        this.keepLocal(scope, name, version, stored);
        return { entry: stored, status: 'HIT', servedBy: 'cache' };
      }
    } catch (err) {
      this.log.warn('cache read failed, bypassing', { scope, err: (err as Error).message });
      return this.bypass(kindOfScope(scope), build);
    }
    return this.buildLocked(scope, name, version, ttlMs, build);
  }

  private async buildLocked(
    scope: string,
    name: string,
    version: number,
    ttlMs: number,
    build: () => Promise<unknown>,
  ): Promise<CacheResult> {
    const key = valueKey(scope, version, name);
    const token = randomUUID();
    const locked = await this.tryLock(key, token);
    if (!locked) {
      const other = await this.waitForOther(key);
      if (other) {
        this.keepLocal(scope, name, version, other);
        return { entry: other, status: 'HIT', servedBy: 'cache' };
      }
    }
    try {
      this.counters.build(kindOfScope(scope));
      const { value, servedBy } = await traced(build);
      const now = Date.now();
      const entry = makeCachedBody(JSON.stringify(value), now, now + ttlMs);
      await this.store(scope, key, version, entry, ttlMs);
      this.keepLocal(scope, name, version, entry);
      return { entry, status: 'MISS', servedBy };
    } finally {
      if (locked) await this.redis.eval(RELEASE_LOCK, 1, lockKey(key), token).catch(() => undefined);
    }
  }

  private keepLocal(scope: string, name: string, version: number, entry: CachedBody): void {
    if (LOCAL_KINDS.has(kindOfScope(scope))) this.local.set(scope, name, version, entry);
  }

  private async tryLock(key: string, token: string): Promise<boolean> {
    try {
      return (await this.redis.set(lockKey(key), token, 'PX', LOCK_MS, 'NX')) === 'OK';
    } catch {
      return false;
    }
  }

  /** Another instance holds the lock: wait for its result rather than rebuilding too. */
  private async waitForOther(key: string): Promise<CachedBody | undefined> {
    const deadline = Date.now() + WAIT_FOR_OTHER_BUILDER_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 15));
      try {
        const stored = await this.readStored(key);
        if (stored) return stored;
        if ((await this.redis.exists(lockKey(key))) === 0) return undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  private async readStored(key: string): Promise<CachedBody | undefined> {
    const [raw, pttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    if (raw === null) return undefined;
    const nl = raw.indexOf('\n');
    const storedAt = Number(raw.slice(0, nl));
    return makeCachedBody(raw.slice(nl + 1), storedAt, Date.now() + Math.max(pttl, 0));
  }

  private async store(scope: string, key: string, version: number, entry: CachedBody, ttlMs: number): Promise<void> {
    try {
      const raw = `${entry.storedAt}\n${entry.body.toString()}`;
      await this.redis.eval(SET_IF_VERSION, 2, versionKey(scope), key, String(version), raw, String(ttlMs));
    } catch (err) {
      this.log.warn('cache write failed', { scope, err: (err as Error).message });
    }
  }
}
