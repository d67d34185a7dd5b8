import { randomBytes } from 'node:crypto';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Redis } from 'ioredis';
import type { AppConfig } from './config.ts';
import { CacheCounters } from './cache/counters.ts';
import { ExternalStore } from './cache/external-store.ts';
import { Invalidation } from './cache/invalidation.ts';
import { LocalCache } from './cache/local-cache.ts';
import { createRedis, waitReady } from './cache/redis.ts';
import { ResponseCache } from './cache/response-cache.ts';
import { Database } from './db/database.ts';
import type { Logger } from './log.ts';
import { InstancePublisher } from './metrics/instance-snapshot.ts';
import { RequestStats } from './metrics/request-stats.ts';
import { RumStore } from './metrics/rum-store.ts';
import { ScalingStatus } from './scaling/status.ts';
import { LoginLimit } from './sessions/login-limit.ts';
import { RevocationLog } from './sessions/revocations.ts';
import { SessionStore } from './sessions/session-store.ts';

/** The app's long-lived parts, built once per instance and closed together. */
export interface AppContext {
  /** This instance's name in X-Instance, /healthz and /api/performance: random per start, stable while it runs. */
  instanceId: string;
  config: AppConfig;
  log: Logger;
  registry: Registry;
  redis: Redis;
  subscriber: Redis;
  db: Database;
  local: LocalCache;
  invalidation: Invalidation;
  cache: ResponseCache;
  counters: CacheCounters;
  externalStore: ExternalStore;
  sessions: SessionStore;
  loginLimit: LoginLimit;
  requestStats: RequestStats;
  rum: RumStore;
  publisher: InstancePublisher;
  /** The auto-scaling supervisor's state, when one runs this instance. */
  scaling: ScalingStatus;
}

export async function createContext(config: AppConfig, log: Logger): Promise<AppContext> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const redis = createRedis(config.redisUrl, 'app', log);
  const subscriber = createRedis(config.redisUrl, 'app-sub', log);
  // Start even when Redis is down: the app serves from the database and recovers when Redis returns.
  await Promise.all([waitReady(redis, 3_000), waitReady(subscriber, 3_000)]).catch((err: unknown) => {
    log.warn('starting without redis', { err: (err as Error).message });
  });
  const db = new Database(config, redis, registry, log);
  await db.start();
  const local = new LocalCache();
  const invalidation = new Invalidation(redis, subscriber, local, log);
  await invalidation.start();
  const counters = new CacheCounters(registry);
  const requestStats = new RequestStats(registry);
  const instanceId = randomBytes(6).toString('hex');
  const ctx: Omit<AppContext, 'publisher'> = {
    instanceId,
    config,
    log,
    registry,
    redis,
    subscriber,
    db,
    local,
    invalidation,
    counters,
    requestStats,
    scaling: new ScalingStatus(registry),
    cache: new ResponseCache(redis, local, invalidation, config, counters, log),
    externalStore: new ExternalStore(redis),
    sessions: new SessionStore(redis, new RevocationLog(db), config.session, log),
    loginLimit: new LoginLimit(redis, config.login),
    rum: new RumStore(redis),
  };
  // Sign-outs reach every instance's local session cache through the invalidation channel,
  // which is why a local copy is trusted only while this instance is subscribed to it.
  ctx.sessions.onDestroy = (hash) => invalidation.revokeSession(hash);
  ctx.sessions.listeningSince = () => invalidation.listeningSince();
  invalidation.onSessionRevoked = (hash) => ctx.sessions.forget(hash);
  const publisher = new InstancePublisher(
    instanceId,
    redis,
    () => {
      const api = requestStats.latency.snapshot();
      const db = ctx.db.stats.window.snapshot();
      return {
        api: { latency: api.data, errors: requestStats.errors.snapshot().data.count, windowS: api.windowS },
        db: { latency: db.data, windowS: db.windowS },
        pools: ctx.db.poolStats(),
        cache: counters.totals,
        slowQueries: ctx.db.stats
          .recentSlow()
          .slice(0, 10)
          .map((s) => ({ query: s.query, ms: s.ms, at: s.at })),
      };
    },
    config.snapshotIntervalMs,
  );
  publisher.start();
  return { ...ctx, publisher };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.publisher.stop();
  ctx.sessions.close();
  await ctx.db.close();
  ctx.redis.disconnect();
  ctx.subscriber.disconnect();
}
