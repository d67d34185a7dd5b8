import { createHash } from 'node:crypto';
import type { CacheKind } from '../config.ts';

/**
 * Every Redis key and channel the app uses, in one place. A cache "scope" is
 * the unit of invalidation: all of a business's metrics, one user's data,
 * one external source.
 */
const P = 'app:';

export const INVALIDATION_CHANNEL = `${P}invalidate`;

export const scopes = {
  metrics: (businessId: number): string => `metrics:b:${businessId}`,
  userData: (userId: number): string => `userData:u:${userId}`,
  external: (source: string): string => `externalAPIs:${source}`,
};

/** Cache keys of the responses that depend only on the session (also used by the hot path). */
export interface ResponseKey {
  scope: string;
  name: string;
}
export const responseKeys = {
  dashboard: (s: { businessId: number }): ResponseKey => ({ scope: scopes.metrics(s.businessId), name: 'dashboard' }),
  profile: (s: { userId: number }): ResponseKey => ({ scope: scopes.userData(s.userId), name: 'profile' }),
  me: (s: { userId: number }): ResponseKey => ({ scope: scopes.userData(s.userId), name: 'me' }),
};

/** The cache kind a scope belongs to (its prefix), which fixes its TTL. */
export function kindOfScope(scope: string): CacheKind {
  const kind = scope.slice(0, scope.indexOf(':'));
  if (kind === 'metrics' || kind === 'userData' || kind === 'externalAPIs') return kind;
  throw new Error(`unknown cache scope ${scope}`);
}

export const versionKey = (scope: string): string => `${P}ver:${scope}`;
export const valueKey = (scope: string, version: number, name: string): string => `${P}c:${scope}:v${version}:${name}`;
export const lockKey = (key: string): string => `${P}lock:${key}`;
export const externalKey = (source: string): string => `${P}ext:${source}`;
export const externalRefreshLockKey = (source: string): string => `${P}lock:ext-refresh:${source}`;
/** A session by the hash of its id (sessions/session-store.ts), so keys in MONITOR and dumps are no credentials. */
export const sessionKey = (hash: string): string => `${P}sess:${hash}`;
export const rywKey = (kind: 'user' | 'business', id: number): string => `${P}ryw:${kind}:${id}`;
export const instanceSnapshotKey = (instanceId: string): string => `${P}perf:inst:${instanceId}`;
export const INSTANCES_KEY = `${P}perf:instances`;
/** When the slow-query window was last reset (ms since epoch), shared by every instance. */
export const PERF_RESET_KEY = `${P}perf:reset-at`;
export const RUM_KEY = `${P}rum:samples`;

/** Sign-in throttling keys: failure counters and backoff blocks per address, per account, per address + account. */
export interface LoginLimitKeys {
  ipFailures: string;
  pairFailures: string;
  accountFailures: string;
  ipBlock: string;
  pairBlock: string;
}

/** Emails are hashed so the keys (which show up in MONITOR and dumps) do not carry them. */
export function loginLimitKeys(ip: string, email: string): LoginLimitKeys {
  const h = createHash('sha256').update(email.toLowerCase()).digest('base64url').slice(0, 22);
  return {
    ipFailures: `${P}rl:login:ip:${ip}`,
    pairFailures: `${P}rl:login:pair:${ip}:${h}`,
    accountFailures: `${P}rl:login:acct:${h}`,
    ipBlock: `${P}rl:login:ip-block:${ip}`,
    pairBlock: `${P}rl:login:pair-block:${ip}:${h}`,
  };
}
