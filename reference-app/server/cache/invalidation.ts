import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { INVALIDATION_CHANNEL, versionKey } from './keys.ts';
import type { LocalCache } from './local-cache.ts';
import { redisReady } from './redis.ts';

/**
 * Invalidation reaches every instance two ways: the scope's version key in
 * Redis is bumped (so shared entries are orphaned at once), and a pub/sub
 * message makes each instance drop its in-process copies. Invalidations that
 * happen while Redis is down are replayed when it comes back.
 */
export class Invalidation {
  private readonly pending = new Set<string>();
  private subscribed = false;
  private subscribedAt = 0;
  /** Called with the hash of a session signed out on another instance. */
  onSessionRevoked: ((hash: string) => void) | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly local: LocalCache,
    private readonly log: Logger,
  ) {
    redis.on('ready', () => void this.replayPending());
  }

  /** True when this instance is sure to hear about invalidations (so its L1 may be trusted). */
  listening(): boolean {
    return this.subscribed && redisReady(this.subscriber) && redisReady(this.redis);
  }

  /** Since when this instance has heard every message (its current subscription), or null while it may miss some. */
  listeningSince(): number | null {
    return this.listening() ? this.subscribedAt : null;
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === INVALIDATION_CHANNEL) this.onMessage(message);
    });
    // After any reconnect, messages may have been missed: forget the whole L1.
    this.subscriber.on('ready', () => {
      this.local.clear();
      void this.subscribe();
    });
    this.subscriber.on('close', () => {
      this.subscribed = false;
      this.local.clear();
    });
    if (redisReady(this.subscriber)) await this.subscribe();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(INVALIDATION_CHANNEL);
      // Taken once Redis confirmed: anything read from Redis after this moment is covered by the broadcasts.
      this.subscribedAt = Date.now();
      this.subscribed = true;
    } catch (err) {
      this.log.warn('invalidation channel unavailable', { err: (err as Error).message });
    }
  }

  async invalidate(scope: string): Promise<void> {
    this.local.dropScope(scope);
    if (!redisReady(this.redis)) {
      this.pending.add(scope);
      return;
    }
    try {
      const version = await this.redis.incr(versionKey(scope));
      this.local.setVersion(scope, version);
      await this.redis.publish(INVALIDATION_CHANNEL, JSON.stringify({ scope, version }));
    } catch (err) {
      this.pending.add(scope);
      this.log.warn('invalidation deferred until redis is back', { scope, err: (err as Error).message });
    }
  }

  /** Tells every instance to drop its local copy of a signed-out session (its Redis key is already gone); false when it could not. */
  async revokeSession(hash: string): Promise<boolean> {
    if (!redisReady(this.redis)) return false;
    try {
      await this.redis.publish(INVALIDATION_CHANNEL, JSON.stringify({ revoke: hash }));
      return true;
    } catch {
      return false;
    }
  }

  private onMessage(message: string): void {
    try {
      const m = JSON.parse(message) as { scope?: string; version?: number; revoke?: string };
      if (m.revoke !== undefined) this.onSessionRevoked?.(m.revoke);
      else if (m.scope !== undefined && m.version !== undefined) this.local.setVersion(m.scope, m.version);
    } catch {
      this.log.warn('malformed invalidation message ignored');
    }
  }

  private async replayPending(): Promise<void> {
    const scopes = [...this.pending];
    this.pending.clear();
    for (const scope of scopes) await this.invalidate(scope);
    if (scopes.length > 0) this.log.info('deferred invalidations replayed', { count: scopes.length });
  }
}
