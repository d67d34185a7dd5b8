/** Which databases a command (migrate, seed, shard) works on: the environment's, else a running stack's. */
import { ToolkitError } from '../../toolkit/errors.ts';
import type { StackEnv } from './config.ts';
import { runningState } from './control.ts';
import { stackDir } from './state.ts';

/**
 * The database URLs a command should use: DATABASE_URL / DATABASE_REPLICA_URL
 * when set, else those of the running stack `name`. Throws STACK_NOT_RUNNING
 * when there is neither.
 */
export async function resolveDatabaseUrls(options: {
  env: StackEnv;
  cwd: string;
  name?: string;
}): Promise<{ primary: string; replica: string | undefined; shards: string[] }> {
  if (options.env.DATABASE_URL) {
    // DATABASE_SHARD_URLS: the extra shards 1..N-1, comma-separated (the app reads the same variable).
    const shards = (options.env.DATABASE_SHARD_URLS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    return { primary: options.env.DATABASE_URL, replica: options.env.DATABASE_REPLICA_URL || undefined, shards };
  }
  const name = options.name ?? 'default';
  const state = await runningState(stackDir({ name, cwd: options.cwd }));
  if (!state) {
    throw new ToolkitError(
      'STACK_NOT_RUNNING',
      `no database: DATABASE_URL is not set and stack "${name}" is not running`,
      {
        fix: 'start the private stack with `npm run stack -- up`, or set DATABASE_URL (and DATABASE_REPLICA_URL)',
      },
    );
  }
  return {
    primary: state.services.primary.url,
    replica: state.services.replica.url,
    shards: (state.shards ?? []).map((s) => s.url),
  };
}
