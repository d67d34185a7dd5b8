/**
 * Operations on a stack described by its state file: stop or start one
 * service (fault tests), stop everything (`down`), report status (`status`).
 */
import { rm } from 'node:fs/promises';
import { postgresBinariesIn } from './binaries.ts';
import { queryOnce, redisPing, replicaStreaming, replicationLag, waitUntil, type ReplicationLag } from './health.ts';
import { startPostgres, stopPostgres, type PgContext } from './postgres.ts';
import { livePidFromFile, readPidFileSync, runs, signal, waitForExit } from '../../toolkit/process/processes.ts';
import { startRedis, stopRedis } from './redis.ts';
import { signalShardsSync, stopShards } from './shards.ts';
import {
  livePids,
  managedMarker,
  markerOf,
  readStateFile,
  SERVICES,
  type ServiceName,
  type StackState,
} from './state.ts';

const pgContext = (state: StackState): PgContext => ({ bins: postgresBinariesIn(state.pgBinDir), runAs: state.runAs });

/** Stops one service of a running stack; the others keep running. */
export async function stopServiceOf(state: StackState, service: ServiceName): Promise<void> {
  const s = state.services[service];
  if (service === 'redis') await stopRedis(s.pidFile);
  else await stopPostgres(s.dataDir ?? '');
}

/** Starts one (stopped) service of a stack again on its recorded port and waits until it is healthy. */
export async function startServiceOf(state: StackState, service: ServiceName, timeoutMs = 30_000): Promise<void> {
  const s = state.services[service];
  if (await isServiceRunning(state, service)) return;
  if (service === 'redis') {
    await startRedis(state.redisBin, s.port, { dir: state.dir, pidFile: s.pidFile, logFile: s.logFile });
    return;
  }
  await startPostgres(pgContext(state), s.dataDir ?? '', s.logFile);
  const { primary, replica } = state.services;
  await waitUntil(
    `the ${service} to accept queries`,
    timeoutMs,
    async () => (await queryOnce(s.url, 'SELECT 1')).length === 1,
  );
  // Either side coming back: done only when the replica streams again (if both are up).
  if ((await isServiceRunning(state, 'primary')) && (await isServiceRunning(state, 'replica'))) {
    await waitUntil('the replica to stream from the primary', timeoutMs, () =>
      replicaStreaming(primary.url, replica.url),
    );
  }
}

/** True when the service's process is alive (from its pid file). */
export async function isServiceRunning(state: StackState, service: ServiceName): Promise<boolean> {
  return (await livePidFromFile(state.services[service].pidFile, markerOf(service))) !== undefined;
}

/** Stops attached processes, then replica, primary and Redis; removes the folder once every pid is gone. */
export async function stopAll(state: StackState): Promise<void> {
  const managed = state.managed.filter((m) => runs(m.pid, managedMarker(m)));
  for (const m of managed) signal(m.pid, 'SIGTERM');
  await Promise.all(managed.map(async (m) => (await waitForExit(m.pid, 10_000)) || signal(m.pid, 'SIGKILL')));
  await stopPostgres(state.services.replica.dataDir ?? '');
  await Promise.all([
    stopPostgres(state.services.primary.dataDir ?? ''),
    stopRedis(state.services.redis.pidFile),
    stopShards(state),
  ]);
  const left = await livePids(state.dir);
  if (left.length > 0) throw new Error(`stack ${state.name}: processes ${left.join(', ')} did not stop`);
  await rm(state.dir, { recursive: true, force: true });
}

/** Synchronous best-effort stop for exit hooks: signals every process of the stack and returns at once. */
export function signalAllSync(state: StackState): void {
  for (const m of state.managed) if (runs(m.pid, managedMarker(m))) signal(m.pid, 'SIGTERM');
  signalShardsSync(state);
  for (const service of SERVICES) {
    const pid = readPidFileSync(state.services[service].pidFile);
    if (runs(pid, markerOf(service))) signal(pid, service === 'redis' ? 'SIGTERM' : 'SIGINT');
  }
}

/** One service's line in `status`. */
export interface ServiceStatus {
  service: ServiceName;
  url: string;
  pid: number | undefined;
  running: boolean;
  healthy: boolean;
}

/** What `status` reports. */
export interface StackStatus {
  name: string;
  dir: string;
  services: ServiceStatus[];
  replication: ReplicationLag | undefined;
}

async function healthy(state: StackState, service: ServiceName): Promise<boolean> {
  const url = state.services[service].url;
  try {
    if (service === 'redis') return await redisPing(url);
    const [row] = await queryOnce<{ r: boolean }>(url, 'SELECT pg_is_in_recovery() AS r');
    return row?.r === (service === 'replica');
  } catch {
    return false;
  }
}

/** Checks each service (process alive, answering) and reads the replication lag. */
export async function stackStatus(state: StackState): Promise<StackStatus> {
  const services = await Promise.all(
    SERVICES.map(async (service): Promise<ServiceStatus> => {
      const pid = await livePidFromFile(state.services[service].pidFile, markerOf(service));
      const running = pid !== undefined;
      return {
        service,
        url: state.services[service].url,
        pid,
        running,
        healthy: running && (await healthy(state, service)),
      };
    }),
  );
  const pgUp = services.filter((s) => s.service !== 'redis').every((s) => s.healthy);
  const replication = pgUp ? await replicationLag(state.services.primary.url).catch(() => undefined) : undefined;
  return { name: state.name, dir: state.dir, services, replication };
}

/** Reads a stack's state when its folder exists and holds live processes. */
export async function runningState(dir: string): Promise<StackState | undefined> {
  const state = await readStateFile(dir);
  if (!state) return undefined;
  return (await livePids(dir)).length > 0 ? state : undefined;
}
