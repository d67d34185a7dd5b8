import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisReady } from '../cache/redis.ts';
import { sessionKey } from '../cache/keys.ts';
import type { HttpError } from '../http/errors.ts';
import { unavailable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { RevocationLog } from './revocations.ts';

/** What a session holds: who, and which business they may see. */
export interface Session {
  userId: number;
  businessId: number;
  role: string;
  createdAt: number;
}

interface LocalEntry {
  session: Session;
  validatedAt: number;
}

/** The session's key everywhere (Redis, local cache, sign-out broadcast, revocation table): a hash, never the id itself. */
export const sessionHash = (sid: string): string => createHash('sha256').update(sid).digest('base64url');

/** Clocks of instances and PostgreSQL on one host agree far better than this. */
const CLOCK_SLACK_MS = 60_000;
const PRUNE_EVERY_MS = 3_600_000;

const signOutUnavailable = (cause?: unknown): HttpError =>
  unavailable('SESSIONS_UNAVAILABLE', 'sign-out cannot be completed right now, try again shortly', 5, cause);

/**
 * Sessions live in Redis (shared by every instance). The hot path stays a
 * Redis GET, or no I/O at all: a session this instance validated within
 * `localFreshMs` is trusted as long as the instance hears every sign-out
 * broadcast (validated after its current subscription began). When Redis
 * cannot vouch for a session (unreachable; restarted empty and refilled from
 * local copies) the durable sign-out record in PostgreSQL is checked first, so
 * a revoked session never works again. A sign-out succeeds only once it is in
 * PostgreSQL and the session is gone from Redis; otherwise it answers 503.
 */
export class SessionStore {
  private readonly local = new Map<string, LocalEntry>();
  /** Tells every instance to drop its copy; false when the broadcast could not be sent. */
  onDestroy: ((hash: string) => Promise<boolean>) | undefined;
  /** Since when this instance is sure to hear every sign-out broadcast; null while it might miss one. */
  listeningSince: () => number | null = () => null;
  /** When Redis was first seen unreachable in the current outage. */
  private downSince: number | null;
  private recovering: Promise<void> | undefined;
  private closed = false;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly revocations: RevocationLog,
    private readonly opts: { ttlS: number; localFreshMs: number; localGraceMs: number },
    private readonly log: Logger,
  ) {
    // Started without Redis: sign-outs of the whole session lifetime may be missing from it.
    this.downSince = redisReady(redis) ? null : Date.now() - opts.ttlS * 1000;
    redis.on('close', () => this.markDown());
    redis.on('ready', () => this.recoverSoon());
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  async create(session: Session): Promise<string> {
    if (!redisReady(this.redis)) throw unavailable('SESSIONS_UNAVAILABLE', 'sign-in is temporarily unavailable', 5);
    const sid = randomBytes(32).toString('base64url');
    const hash = sessionHash(sid);
    try {
      await this.redis.set(sessionKey(hash), JSON.stringify(session), 'EX', this.opts.ttlS);
    } catch (err) {
      throw unavailable('SESSIONS_UNAVAILABLE', 'sign-in is temporarily unavailable', 5, err);
    }
    this.local.set(hash, { session, validatedAt: Date.now() });
    return sid;
  }

  /** The session for `sid`, or null when it does not exist, was signed out, or cannot be checked and was not seen recently. */
  async get(sid: string): Promise<Session | null> {
    const now = Date.now();
    const hash = sessionHash(sid);
    const cached = this.local.get(hash);
    if (cached && this.fresh(cached, now)) return cached.session;
    if (!redisReady(this.redis)) return this.grace(hash, cached, now);
    let raw: string | null;
    try {
      raw = await this.redis.get(sessionKey(hash));
    } catch (err) {
      this.markDown();
      this.log.warn('session check fell back to the local cache', { err: (err as Error).message });
      return this.grace(hash, cached, now);
    }
    if (raw === null) {
      this.local.delete(hash);
      return null;
    }
    const session = JSON.parse(raw) as Session;
    this.remember(hash, { session, validatedAt: now });
    // Commands failed without the connection dropping (so no 'ready' will follow): recover now.
    if (this.downSince !== null) this.recoverSoon();
    return session;
  }

  /** The session if this instance validated it within the fresh window (no I/O), else undefined. */
  peekFresh(sid: string): Session | undefined {
    const cached = this.local.get(sessionHash(sid));
    return cached && this.fresh(cached, Date.now()) ? cached.session : undefined;
  }

  /** Drops a session another instance signed out. */
  forget(hash: string): void {
    this.local.delete(hash);
  }

  /** Signs a session out everywhere, or throws 503 SESSIONS_UNAVAILABLE (what was done stays done). */
  async destroy(sid: string): Promise<void> {
    const hash = sessionHash(sid);
    this.local.delete(hash);
    try {
      await this.revocations.record(hash, this.opts.ttlS);
    } catch (err) {
      throw signOutUnavailable(err);
    }
    // Recorded: no restore or cached copy can bring it back. Still, an instance reading Redis would.
    if (!redisReady(this.redis)) throw signOutUnavailable();
    try {
      await this.redis.del(sessionKey(hash));
    } catch (err) {
      this.markDown();
      throw signOutUnavailable(err);
    }
    // Only after the key is gone, or another instance could re-validate it from Redis.
    if (this.onDestroy && !(await this.onDestroy(hash))) throw signOutUnavailable();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.pruneTimer);
  }

  private fresh(entry: LocalEntry, now: number): boolean {
    const since = this.listeningSince();
    return since !== null && entry.validatedAt >= since && now - entry.validatedAt < this.opts.localFreshMs;
  }

  /** Redis cannot tell about sign-outs now: a recent local copy is honoured unless PostgreSQL has its revocation. */
  private async grace(hash: string, cached: LocalEntry | undefined, now: number): Promise<Session | null> {
    if (!cached || now - cached.validatedAt >= this.opts.localGraceMs) return null;
    // A database that cannot answer either fails the request (503) rather than guessing.
    if ((await this.revocations.revoked([hash])).has(hash)) {
      this.local.delete(hash);
      return null;
    }
    return cached.session;
  }

  private markDown(): void {
    this.downSince ??= Date.now();
  }

  private recoverSoon(): void {
    if (this.closed) return;
    this.recovering ??= this.recover().finally(() => (this.recovering = undefined));
  }

  /** Redis is back: delete the sessions signed out while it was away, then put back this instance's recent ones. */
  private async recover(): Promise<void> {
    const since = this.downSince;
    if (since === null) return;
    try {
      const gone = await this.revocations.since(new Date(since - CLOCK_SLACK_MS));
      for (let i = 0; i < gone.length; i += 500) await this.redis.del(...gone.slice(i, i + 500).map(sessionKey));
      for (const hash of gone) this.local.delete(hash);
      // Instances whose subscription never dropped (Redis stalled rather than restarted) still trust their copies.
      await Promise.all(gone.map((hash) => this.onDestroy?.(hash)));
      if (gone.length > 0) this.log.info('sign-outs from the outage applied to redis', { count: gone.length });
      this.downSince = null;
    } catch (err) {
      this.log.warn('sign-outs from the outage not applied yet, retrying', { err: (err as Error).message });
      setTimeout(() => this.recoverSoon(), 2_000).unref();
      return;
    }
    await this.restore();
  }

  /**
   * Puts back the sessions this instance validated recently, so users signed in
   * before a Redis restart stay signed in; then checks them against the
   * revocations, after writing, so a sign-out recorded meanwhile is never undone.
   */
  private async restore(): Promise<void> {
    const now = Date.now();
    const candidates = [...this.local].filter(
      ([, e]) => now - e.validatedAt < this.opts.localGraceMs && this.secondsLeft(e.session, now) > 0,
    );
    if (candidates.length === 0) return;
    const write = this.redis.pipeline();
    for (const [hash, e] of candidates)
      write.set(sessionKey(hash), JSON.stringify(e.session), 'EX', this.secondsLeft(e.session, now), 'NX');
    const results = (await write.exec().catch(() => null)) ?? [];
    const written = candidates.filter((_, i) => results[i]?.[1] === 'OK').map(([hash]) => hash);
    let revoked: Set<string>;
    try {
      revoked = await this.revocations.revoked(written);
    } catch (err) {
      this.log.warn('restored sessions could not be checked for sign-outs, removed again', {
        err: (err as Error).message,
      });
      revoked = new Set(written);
    }
    for (const hash of revoked) {
      this.local.delete(hash);
      await this.redis.del(sessionKey(hash)).catch(() => undefined);
      await this.onDestroy?.(hash);
    }
    if (written.length > revoked.size)
      this.log.info('sessions restored to redis', { count: written.length - revoked.size });
  }

  private secondsLeft(session: Session, now: number): number {
    return Math.ceil(this.opts.ttlS - (now - session.createdAt) / 1000);
  }

  private async prune(): Promise<void> {
    await this.revocations.prune().catch((err: unknown) => {
      this.log.warn('expired sign-outs not pruned', { err: (err as Error).message });
    });
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
