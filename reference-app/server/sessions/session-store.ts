import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisReady } from '../cache/redis.ts';
import { sessionKey } from '../cache/keys.ts';
import { unavailable } from '../http/errors.ts';
import type { Logger } from '../log.ts';

/** What a session holds: who, and which business they may see. */
export interface Session {
  userId: number;
  businessId: number;
  role: string;
  createdAt: number;
}

interface LocalEntry {
  sid: string;
  session: Session;
  validatedAt: number;
}

/** The in-process cache is keyed by a hash of the id, which is also what a sign-out broadcasts (never the id itself). */
export const sessionHash = (sid: string): string => createHash('sha256').update(sid).digest('base64url');

/**
 * Sessions live in Redis (shared by every instance). A short in-process cache
 * saves a Redis round trip per request and, when Redis is down, keeps
 * recently validated sessions working; new logins need Redis.
 */
export class SessionStore {
  private readonly local = new Map<string, LocalEntry>();
  /** Told about each sign-out so other instances drop their copy at once. */
  onDestroy: ((hash: string) => void) | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly opts: { ttlS: number; localFreshMs: number; localGraceMs: number },
    private readonly log: Logger,
  ) {
    redis.on('ready', () => void this.restore());
  }

  /**
   * Redis came back (maybe empty after a restart): put back the sessions this
   * instance validated recently, so users signed in before the outage stay signed in.
   */
  private async restore(): Promise<void> {
    const now = Date.now();
    let restored = 0;
    for (const e of this.local.values()) {
      if (now - e.validatedAt >= this.opts.localGraceMs) continue;
      const left = Math.ceil(this.opts.ttlS - (now - e.session.createdAt) / 1000);
      if (left <= 0) continue;
      const ok = await this.redis.set(sessionKey(e.sid), JSON.stringify(e.session), 'EX', left, 'NX').catch(() => null);
      if (ok === 'OK') restored += 1;
    }
    if (restored > 0) this.log.info('sessions restored to redis', { count: restored });
  }

  async create(session: Session): Promise<string> {
    if (!redisReady(this.redis)) throw unavailable('SESSIONS_UNAVAILABLE', 'sign-in is temporarily unavailable', 5);
    const sid = randomBytes(32).toString('base64url');
    try {
      await this.redis.set(sessionKey(sid), JSON.stringify(session), 'EX', this.opts.ttlS);
    } catch (err) {
      throw unavailable('SESSIONS_UNAVAILABLE', 'sign-in is temporarily unavailable', 5, err);
    }
    this.local.set(sessionHash(sid), { sid, session, validatedAt: Date.now() });
    return sid;
  }

  /** The session for `sid`, or null when it does not exist (or cannot be checked and was not seen recently). */
  async get(sid: string): Promise<Session | null> {
    const now = Date.now();
    const key = sessionHash(sid);
    const cached = this.local.get(key);
    if (cached && now - cached.validatedAt < this.opts.localFreshMs) return cached.session;
    if (!redisReady(this.redis)) return this.grace(cached, now);
    let raw: string | null;
    try {
      raw = await this.redis.get(sessionKey(sid));
    } catch (err) {
      this.log.warn('session check fell back to the local cache', { err: (err as Error).message });
      return this.grace(cached, now);
    }
    if (raw === null) {
      this.local.delete(key);
      return null;
    }
    const session = JSON.parse(raw) as Session;
    this.remember(key, { sid, session, validatedAt: now });
    return session;
  }

  /** The session if this instance validated it within the fresh window (no I/O), else undefined. */
  peekFresh(sid: string): Session | undefined {
    const cached = this.local.get(sessionHash(sid));
    return cached && Date.now() - cached.validatedAt < this.opts.localFreshMs ? cached.session : undefined;
  }

  /** Drops a session another instance signed out. */
  forget(hash: string): void {
    this.local.delete(hash);
  }

  async destroy(sid: string): Promise<void> {
    const hash = sessionHash(sid);
    this.local.delete(hash);
    if (!redisReady(this.redis)) return;
    await this.redis.del(sessionKey(sid)).catch(() => undefined);
    // Only after the key is gone, or another instance could re-validate it from Redis.
    this.onDestroy?.(hash);
  }

  private grace(cached: LocalEntry | undefined, now: number): Session | null {
    return cached && now - cached.validatedAt < this.opts.localGraceMs ? cached.session : null;
  }

  private remember(key: string, entry: LocalEntry): void {
    // Bounded: drop the oldest entries when many distinct sessions pass through.
    if (this.local.size >= 50_000) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.delete(key);
    this.local.set(key, entry);
  }
}
