/**
 * The private stack: a PostgreSQL primary, a streaming replica and Redis
 * started from the machine's binaries on free loopback ports under
 * `.stack/<name>/`, or the user's own servers when the three URLs are set.
 */
import { join } from 'node:path';
import { ToolkitError } from '../../toolkit/errors.ts';
import { findPostgresBinaries, findRedisServer, type PostgresBinaries } from './binaries.ts';
import { externalUrls, type StackEnv } from './config.ts';
import { signalAllSync, stopAll } from './control.ts';
import { startEdge, type NginxStackOptions, type PgbouncerStackOptions } from './edge.ts';
import { onExit } from '../../toolkit/process/exit-hooks.ts';
import { replicaStreaming, waitUntil } from './health.ts';
import { freePort } from '../../toolkit/process/ports.ts';
import {
  createReplica,
  initPrimary,
  isPortClash,
  mkdirOwned,
  postgresRunAs,
  postgresUrl,
  prepareDatabase,
  setPort,
  startPostgres,
  type PgContext,
} from './postgres.ts';
import { redisUrl, startRedis } from './redis.ts';
import { processStartTime } from '../../toolkit/process/leftovers.ts';
import { sweepDeadStacks } from './sweep.ts';
import { externalHandle, localHandle, type StackHandle, type StackLocation } from './stack-handle.ts';
import { newShardStates, parseShardCount, startShards } from './shards.ts';
import {
  inspectStackDir,
  readStateFile,
  stackDir,
  writeStateFile,
  type ServiceState,
  type StackState,
  type StackUrls,
} from './state.ts';

export type { StackHandle } from './stack-handle.ts';

/** Options of startStack / stopStack / readStackState. */
export interface StackOptions extends StackLocation {
  /** Progress lines for people. */
  log?: (line: string) => void;
  /**
   * PATH (to find binaries) and DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL (required by startStack:
   * the rig reads no environment of its own). Inside vitest workers the process environment holds the test
   * run's URLs, so a test that wants a stack of its own passes e.g. just the PATH.
   */
  env?: StackEnv;
  /** Leave the services running when this process exits (`stack up`); default false: they stop with it. */
  detached?: boolean;
  /** Shard primaries (default 1: the primary alone); shards 1..N-1 are extra primaries without replicas. */
  shards?: number;
  /** nginx in front of `instances` app instances (their ports: `handle.edge.appPorts`), serving `staticDir`. */
  nginx?: NginxStackOptions;
  /** pgbouncer (transaction pooling) in front of the primary and each shard primary: `urls.primaryPooled`. */
  pgbouncer?: boolean | PgbouncerStackOptions;
}

const noop = (): void => undefined;

/**
 * Starts a service on `port`; when another process took that port after we
 * picked it, tries again on a fresh one (a few times). Resolves with the port used.
 */
async function onFreePort(port: number, avoid: number[], start: (port: number) => Promise<void>): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await start(port);
      return port;
    } catch (err) {
      if (!isPortClash(err) || attempt >= 3) throw err;
      port = await freePort({ avoid: [...avoid, port] });
    }
  }
}

async function startPostgresPair(ctx: PgContext, state: StackState, log: (l: string) => void): Promise<void> {
  const { primary, replica, redis } = state.services;
  const start =
    (s: ServiceState) =>
    async (port: number): Promise<void> => {
      await setPort(s.dataDir ?? '', port);
      await startPostgres(ctx, s.dataDir ?? '', s.logFile);
    };
  await initPrimary(ctx, primary.dataDir ?? '');
  primary.port = await onFreePort(primary.port, [replica.port, redis.port], start(primary));
  primary.url = postgresUrl(primary.port);
  await prepareDatabase(primary.port);
  log(`primary up on ${primary.url}`);
  await createReplica(ctx, primary.port, replica.dataDir ?? '');
  replica.port = await onFreePort(replica.port, [primary.port, redis.port], start(replica));
  replica.url = postgresUrl(replica.port);
  await waitUntil('the replica to stream from the primary', 30_000, () => replicaStreaming(primary.url, replica.url));
  log(`replica streaming on ${replica.url}`);
}

async function startRedisService(state: StackState): Promise<void> {
  const { primary, replica, redis } = state.services;
  const files = { dir: state.dir, pidFile: redis.pidFile, logFile: redis.logFile };
  redis.port = await onFreePort(redis.port, [primary.port, replica.port], (port) =>
    startRedis(state.redisBin, port, files).then(noop),
  );
  redis.url = redisUrl(redis.port);
}

async function newState(name: string, dir: string, bins: PostgresBinaries, redisBin: string): Promise<StackState> {
  const runAs = postgresRunAs();
  const primaryPort = await freePort();
  const replicaPort = await freePort({ avoid: [primaryPort] });
  const redisPort = await freePort({ avoid: [primaryPort, replicaPort] });
  const pg = (service: 'primary' | 'replica', port: number) => ({
    port,
    url: postgresUrl(port),
    dataDir: join(dir, service),
    pidFile: join(dir, service, 'postmaster.pid'),
    logFile: join(dir, `${service}.log`),
  });
  return {
    version: 1,
    name,
    dir,
    startedAt: new Date().toISOString(),
    pgBinDir: bins.binDir,
    redisBin,
    ...(runAs ? { runAs } : {}),
    services: {
      primary: pg('primary', primaryPort),
      replica: pg('replica', replicaPort),
      redis: {
        port: redisPort,
        url: redisUrl(redisPort),
        pidFile: join(dir, 'redis.pid'),
        logFile: join(dir, 'redis.log'),
      },
    },
    managed: [],
  };
}

/** The servers from DATABASE_URL / DATABASE_REPLICA_URL / REDIS_URL: nothing started, nothing in front of them. */
function useExternal(name: string, urls: StackUrls, options: StackOptions, log: (l: string) => void): StackHandle {
  if (options.nginx || options.pgbouncer) {
    throw new ToolkitError(
      'USAGE',
      'nginx / pgbouncer run only in front of the private stack, not servers from DATABASE_URL / REDIS_URL',
      { fix: 'unset DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL, or drop --nginx / --pgbouncer' },
    );
  }
  log('DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL are set: using those servers, starting nothing');
  return externalHandle(name, urls);
}

/** Plans the extra shard primaries (ports and folders) when more than one shard is asked for. */
async function addShards(state: StackState, shards: number | undefined): Promise<void> {
  const count = parseShardCount(shards, 'shards');
  if (count <= 1) return;
  const s = state.services;
  state.shards = await newShardStates(state.dir, count, [s.primary.port, s.replica.port, s.redis.port]);
}

/**
 * Starts a private stack and resolves once the primary accepts queries, the
 * replica streams from it and Redis answers PING. When DATABASE_URL,
 * DATABASE_REPLICA_URL and REDIS_URL are all set, starts nothing and returns them.
 */
export async function startStack(options: StackOptions & { env: StackEnv }): Promise<StackHandle> {
  const { env } = options;
  const log = options.log ?? noop;
  const name = options.name ?? 'default';
  const external = externalUrls(env);
  if (external) return useExternal(name, external, options, log);
  const dir = stackDir({ name, dir: options.dir, cwd: options.cwd });
  await sweepDeadStacks(options.cwd ?? process.cwd(), log);
  if ((await inspectStackDir(dir, log)) === 'running') {
    throw new ToolkitError('STACK_START_FAILED', `stack "${name}" is already running in ${dir}`, {
      fix: `use it, stop it with \`npm run stack -- down --name ${name}\`, or pick another --name`,
    });
  }
  const started = Date.now();
  const bins = findPostgresBinaries({ env });
  const state = await newState(name, dir, bins, findRedisServer({ env }));
  await addShards(state, options.shards);
  if (!options.detached) {
    state.ownerPid = process.pid;
    const startTime = processStartTime(process.pid);
    if (startTime !== undefined) state.ownerStartTime = startTime;
  }
  const ctx: PgContext = { bins, runAs: state.runAs };
  await mkdirOwned(dir, state.runAs, 0o755);
  await writeStateFile({ ...state, startingPid: process.pid });
  // Until it is up, a crash of ours must not leave daemons behind.
  const unregister = onExit(() => signalAllSync(state));
  try {
    await Promise.all([startPostgresPair(ctx, state, log), startRedisService(state), startShards(ctx, state, log)]);
    await startEdge({ state, env, detached: options.detached === true, log }, options);
  } catch (err) {
    await stopAll(state).catch(noop);
    unregister();
    throw err;
  }
  await writeStateFile(state);
  log(`redis up on ${state.services.redis.url}`);
  log(`stack "${name}" healthy in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`);
  if (options.detached) unregister();
  return localHandle(state, options.detached ? noop : unregister);
}

/** Stops a stack by name (every service and attached process) and removes its folder; false when it was not running. */
export async function stopStack(name = 'default', options: Omit<StackOptions, 'name'> = {}): Promise<boolean> {
  const dir = stackDir({ name, dir: options.dir, cwd: options.cwd });
  const state = await readStateFile(dir);
  if (!state) {
    await inspectStackDir(dir, options.log ?? noop);
    return false;
  }
  await stopAll(state);
  return true;
}

/** The state file of a stack, or undefined when it has none. */
export function readStackState(
  name = 'default',
  options: Omit<StackOptions, 'name'> = {},
): Promise<StackState | undefined> {
  return readStateFile(stackDir({ name, dir: options.dir, cwd: options.cwd }));
}
