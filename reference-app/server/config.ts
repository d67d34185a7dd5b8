import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The seed's CacheConfig: one TTL and invalidation rule per kind of data.
 * TTLs are overridable by env (CACHE_*_TTL_MS) so tests can watch them expire.
 */
export interface CacheKindConfig {
  ttlMs: number;
  invalidation: 'on_data_update' | 'on_user_update' | 'on_schedule';
}
export interface CacheConfig {
  metrics: CacheKindConfig;
  userData: CacheKindConfig;
  externalAPIs: CacheKindConfig;
}
export type CacheKind = keyof CacheConfig;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(0),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().min(1),
  DATABASE_REPLICA_URL: z.string().min(1).optional(),
  // Extra shard primaries 1..N-1, comma-separated; shard 0 is DATABASE_URL (reference-app/API.md#sharding).
  DATABASE_SHARD_URLS: z.string().optional(),
  REDIS_URL: z.string().min(1),
  UPSTREAM_URL: z.string().url().default('http://127.0.0.1:4010'),
  CACHE_ENABLED: z.enum(['true', 'false']).default('true'),
  CACHE_METRICS_TTL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 60 * 1000),
  CACHE_USERDATA_TTL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 60 * 1000),
  CACHE_EXTERNAL_TTL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60 * 1000),
  DB_PRIMARY_POOL_MAX: z.coerce.number().int().positive().default(10),
  DB_REPLICA_POOL_MAX: z.coerce.number().int().positive().default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  DB_SLOW_QUERY_MS: z.coerce.number().positive().default(100),
  REPLICA_MAX_LAG_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  REPLICA_PROBE_MS: z.coerce.number().int().positive().default(500),
  SESSION_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 3600),
  SESSION_LOCAL_FRESH_MS: z.coerce.number().int().nonnegative().default(2000),
  SESSION_LOCAL_GRACE_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(10 * 60 * 1000),
  // Sign-in throttling (reference-app/API.md "Sign-in throttling"): failures per address + account,
  // per account across addresses, per address across accounts, then exponential backoff.
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(10),
  LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().positive().default(20),
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().positive().default(20),
  LOGIN_WINDOW_S: z.coerce.number().int().positive().default(300),
  LOGIN_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(1000),
  LOGIN_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60 * 1000),
  // Only the rig's loopback nginx may name the client (X-Forwarded-For); unset, the socket's address counts.
  TRUST_PROXY: z.enum(['loopback']).optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  STATIC_DIR: z.string().optional(),
  // The client build's webpack stats (for /api/performance bundleSize); default: build-stats/stats.json beside STATIC_DIR.
  BUILD_STATS_FILE: z.string().optional(),
  ASSET_BASE_URL: z.string().url().optional(),
  // Bearer token that unlocks SQL text and process ids in /api/performance (the rig makes one per run for its sampler).
  PERFORMANCE_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  SNAPSHOT_INTERVAL_MS: z.coerce.number().int().positive().default(2000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Auto-scaling supervisor (`--min-instances/--max-instances`); see reference-app/API.md#auto-scaling.
  AUTOSCALE_SAMPLE_MS: z.coerce.number().int().min(100).default(1000),
  AUTOSCALE_UP_CPU_PERCENT: z.coerce.number().positive().default(75),
  AUTOSCALE_UP_LAG_MS: z.coerce.number().positive().default(50),
  AUTOSCALE_UP_P95_MS: z.coerce.number().positive().default(500),
  AUTOSCALE_UP_READINGS: z.coerce.number().int().positive().default(3),
  AUTOSCALE_DOWN_CPU_PERCENT: z.coerce.number().positive().default(30),
  AUTOSCALE_DOWN_LAG_MS: z.coerce.number().positive().default(10),
  AUTOSCALE_DOWN_P95_MS: z.coerce.number().positive().default(250),
  AUTOSCALE_DOWN_READINGS: z.coerce.number().int().positive().default(10),
  AUTOSCALE_COOLDOWN_MS: z.coerce.number().int().nonnegative().default(10_000),
  AUTOSCALE_DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  // Test-only: GET /debug/burn?ms=N spins the CPU, so tests can load the supervisor without a database.
  DEBUG_BURN_ROUTE: z.enum(['true', 'false']).default('false'),
});

/** Everything the server needs, validated once and passed down typed. */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  /** Absent: reads go to the primary. */
  replicaUrl: string | undefined;
  /** Extra shard primaries (shard i = shardUrls[i - 1]); empty: one shard, the primary. */
  shardUrls: string[];
  redisUrl: string;
  upstreamUrl: string;
  cacheEnabled: boolean;
  cache: CacheConfig;
  db: { primaryPoolMax: number; replicaPoolMax: number; statementTimeoutMs: number; slowQueryMs: number };
  replica: { maxLagBytes: number; probeMs: number };
  session: { ttlS: number; localFreshMs: number; localGraceMs: number; cookieSecure: boolean };
  login: LoginLimitConfig;
  /** 'loopback': the app sits behind a proxy on loopback (the rig's nginx) and takes the client address from it. */
  trustProxy: 'loopback' | undefined;
  staticDir: string | undefined;
  /** The client build's stats.json: kept beside the served folder, never inside it. */
  buildStatsFile: string | undefined;
  assetBaseUrl: string | undefined;
  /** Unlocks the operator view of /api/performance; undefined: only platform admins get it. */
  performanceToken: string | undefined;
  snapshotIntervalMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  autoscale: AutoscaleConfig;
  /** Test-only CPU-burning route (DEBUG_BURN_ROUTE=true). */
  debugBurnRoute: boolean;
}

/** Sign-in throttling: failure thresholds, the window counters live for after the last failure, and the backoff. */
export interface LoginLimitConfig {
  /** Failures of one address on one account before that pair backs off. */
  maxFailures: number;
  /** Failures on one account from all addresses before every failing address backs off from its first failure. */
  accountMaxFailures: number;
  /** Failures of one address over all accounts before that address backs off. */
  ipMaxFailures: number;
  windowS: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** Thresholds of the auto-scaling supervisor; `down` sits below `up` (hysteresis). */
export interface AutoscaleConfig {
  sampleMs: number;
  up: { cpuPercent: number; lagMs: number; p95Ms: number; readings: number };
  down: { cpuPercent: number; lagMs: number; p95Ms: number; readings: number };
  cooldownMs: number;
  drainTimeoutMs: number;
}

/** Thrown for a bad environment; names each variable at fault. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the server's configuration from an env record (it never reads the process environment itself). */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<AppConfig> = {}): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid server environment: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  // Without a gap between the thresholds the supervisor would add and remove instances in turn.
  const noGap = (['CPU_PERCENT', 'LAG_MS', 'P95_MS'] as const).filter(
    (k) => e[`AUTOSCALE_DOWN_${k}`] >= e[`AUTOSCALE_UP_${k}`],
  );
  if (noGap.length)
    throw new ConfigError(
      `invalid server environment: ${noGap.map((k) => `AUTOSCALE_DOWN_${k} must be below AUTOSCALE_UP_${k}`).join('; ')}`,
    );
  const config: AppConfig = {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    replicaUrl: e.DATABASE_REPLICA_URL,
    shardUrls: (e.DATABASE_SHARD_URLS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
    redisUrl: e.REDIS_URL,
    upstreamUrl: e.UPSTREAM_URL,
    cacheEnabled: e.CACHE_ENABLED === 'true',
    cache: {
      metrics: { ttlMs: e.CACHE_METRICS_TTL_MS, invalidation: 'on_data_update' },
      userData: { ttlMs: e.CACHE_USERDATA_TTL_MS, invalidation: 'on_user_update' },
      externalAPIs: { ttlMs: e.CACHE_EXTERNAL_TTL_MS, invalidation: 'on_schedule' },
    },
    db: {
      primaryPoolMax: e.DB_PRIMARY_POOL_MAX,
      replicaPoolMax: e.DB_REPLICA_POOL_MAX,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      slowQueryMs: e.DB_SLOW_QUERY_MS,
    },
    replica: { maxLagBytes: e.REPLICA_MAX_LAG_BYTES, probeMs: e.REPLICA_PROBE_MS },
    session: {
      ttlS: e.SESSION_TTL_S,
      localFreshMs: e.SESSION_LOCAL_FRESH_MS,
      localGraceMs: e.SESSION_LOCAL_GRACE_MS,
      cookieSecure: e.COOKIE_SECURE === 'true',
    },
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      accountMaxFailures: e.LOGIN_ACCOUNT_MAX_FAILURES,
      ipMaxFailures: e.LOGIN_IP_MAX_FAILURES,
      windowS: e.LOGIN_WINDOW_S,
      backoffBaseMs: e.LOGIN_BACKOFF_BASE_MS,
      backoffMaxMs: e.LOGIN_BACKOFF_MAX_MS,
    },
    trustProxy: e.TRUST_PROXY,
    staticDir: e.STATIC_DIR,
    buildStatsFile:
      e.BUILD_STATS_FILE ??
      (e.STATIC_DIR ? join(dirname(resolve(e.STATIC_DIR)), 'build-stats', 'stats.json') : undefined),
    assetBaseUrl: e.ASSET_BASE_URL,
    performanceToken: e.PERFORMANCE_TOKEN,
    snapshotIntervalMs: e.SNAPSHOT_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    autoscale: {
      sampleMs: e.AUTOSCALE_SAMPLE_MS,
      up: {
        cpuPercent: e.AUTOSCALE_UP_CPU_PERCENT,
        lagMs: e.AUTOSCALE_UP_LAG_MS,
        p95Ms: e.AUTOSCALE_UP_P95_MS,
        readings: e.AUTOSCALE_UP_READINGS,
      },
      down: {
        cpuPercent: e.AUTOSCALE_DOWN_CPU_PERCENT,
        lagMs: e.AUTOSCALE_DOWN_LAG_MS,
        p95Ms: e.AUTOSCALE_DOWN_P95_MS,
        readings: e.AUTOSCALE_DOWN_READINGS,
      },
      cooldownMs: e.AUTOSCALE_COOLDOWN_MS,
      drainTimeoutMs: e.AUTOSCALE_DRAIN_TIMEOUT_MS,
    },
    debugBurnRoute: e.DEBUG_BURN_ROUTE === 'true',
  };
  return { ...config, ...overrides };
}
