/** The stack's view of the environment: external service URLs, if the user runs their own. */
import type { StackUrls } from './state.ts';

/** The environment a stack helper reads (PATH for binaries, the three service URLs). */
export type StackEnv = Record<string, string | undefined>;

/** The URLs from DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL when all three are set, else undefined. */
export function externalUrls(env: StackEnv): StackUrls | undefined {
  const primary = env.DATABASE_URL;
  const replica = env.DATABASE_REPLICA_URL;
  const redis = env.REDIS_URL;
  return primary && replica && redis ? { primary, replica, redis } : undefined;
}
