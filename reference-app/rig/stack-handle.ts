/**
 * Handles on a stack: one started here or by `stack up` (stop it, stop or
 * start one service, attach processes, status), or the user's own servers
 * from DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL (nothing to control).
 */
import { ToolkitError } from '../../toolkit/errors.ts';
import { spawnManaged, type ManagedOptions, type ManagedProcess } from '../../toolkit/process/managed.ts';
import { runningState, stackStatus, startServiceOf, stopAll, stopServiceOf, type StackStatus } from './control.ts';
import type { EdgeState } from './edge.ts';
import { readStateFile, stackDir, writeStateFile, type ServiceName, type StackState, type StackUrls } from './state.ts';

/** Where a stack lives: `<cwd>/.stack/<name>/`, or an explicit folder. */
export interface StackLocation {
  /** Stack name; its folder is `.stack/<name>/` (default "default"). */
  name?: string;
  /** Use this folder instead of `<cwd>/.stack/<name>`. */
  dir?: string;
  /** Base of `.stack/` (default: the current directory). */
  cwd?: string;
}

const noop = (): void => undefined;

/** A running stack. */
export interface StackHandle {
  name: string;
  /** The stack folder (undefined for external servers). */
  dir: string | undefined;
  /** True when the URLs came from the environment and nothing was started. */
  external: boolean;
  urls: StackUrls;
  /** nginx / pgbouncer details when asked for (app ports, pooled URLs, pgbouncer admin console). */
  edge: EdgeState | undefined;
  /** Stops everything this stack started (services and attached processes) and removes its folder. */
  stop(): Promise<void>;
  /** Stops one service (fault tests: Redis down, replica down…). */
  stopService(service: ServiceName): Promise<void>;
  /** Starts a stopped service again on the same port and waits until healthy. */
  startService(service: ServiceName): Promise<void>;
  /** Starts an extra process that is stopped with the stack. */
  spawnManaged(options: ManagedOptions): Promise<ManagedProcess>;
  /** Each service's health and the replication lag. */
  status(): Promise<StackStatus>;
}

/** A handle on a stack that is already running (started by `stack up` or another process). */
export async function attachStack(options: StackLocation = {}): Promise<StackHandle> {
  const name = options.name ?? 'default';
  const dir = stackDir({ name, dir: options.dir, cwd: options.cwd });
  const state = await runningState(dir);
  if (!state) {
    throw new ToolkitError('STACK_NOT_RUNNING', `stack "${name}" is not running (no live processes in ${dir})`, {
      fix: `start it with \`npm run stack -- up${name === 'default' ? '' : ` --name ${name}`}\``,
    });
  }
  return localHandle(state, noop);
}

/** A handle on a stack of ours, from its state; `unregister` drops its exit hook once it is stopped. */
export function localHandle(state: StackState, unregister: () => void): StackHandle {
  const children: ManagedProcess[] = [];
  return {
    name: state.name,
    dir: state.dir,
    external: false,
    urls: {
      primary: state.services.primary.url,
      replica: state.services.replica.url,
      redis: state.services.redis.url,
      ...(state.shards?.length ? { shards: state.shards.map((s) => s.url) } : {}),
      ...(state.edge?.primaryPooled ? { primaryPooled: state.edge.primaryPooled } : {}),
      ...(state.edge?.web ? { web: state.edge.web } : {}),
    },
    edge: state.edge,
    async stop() {
      await Promise.all(children.map((c) => c.stop()));
      // Another process may have attached children too: the state file lists them all.
      await stopAll((await readStateFile(state.dir)) ?? state);
      unregister();
    },
    stopService: (service) => stopServiceOf(state, service),
    startService: (service) => startServiceOf(state, service),
    async spawnManaged(opts) {
      const child = await spawnManaged(opts);
      children.push(child);
      const current = (await readStateFile(state.dir)) ?? state;
      current.managed.push({
        name: child.name,
        pid: child.pid,
        command: opts.command,
        ...(child.logFile ? { logFile: child.logFile } : {}),
      });
      state.managed = current.managed;
      await writeStateFile(current);
      return child;
    },
    status: () => stackStatus(state),
  };
}

/** A handle on servers someone else runs: nothing to stop or start. */
export function externalHandle(name: string, urls: StackUrls): StackHandle {
  const refuse = async (): Promise<never> => {
    throw new ToolkitError(
      'STACK_NOT_RUNNING',
      'the services come from DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL, so they cannot be stopped or started here',
      {
        fix: 'unset the three URLs to let the toolkit start its own private stack',
      },
    );
  };
  return {
    name,
    dir: undefined,
    external: true,
    urls,
    edge: undefined,
    stop: async () => undefined,
    stopService: refuse,
    startService: refuse,
    spawnManaged: (opts) => spawnManaged(opts),
    status: refuse,
  };
}
