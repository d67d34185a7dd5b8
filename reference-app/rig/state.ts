/**
 * The stack's working folder (`.stack/<name>/`) and its state file: which
 * services run on which ports, where their pid files are, and which extra
 * processes were attached. Also tells a running stack from a stale one.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { usageError } from '../../toolkit/errors.ts';
import { isAlive, livePidFromFile, runs, type RunAs } from '../../toolkit/process/processes.ts';

/** The front parts of a running stack, as recorded in state.json. */
export interface EdgeState {
  /** nginx's URL: the app's public address (static files + /api through the balancer). */
  web?: string;
  /** Ports the app instances must listen on (nginx's upstreams). */
  appPorts?: number[];
  /** The primary through pgbouncer (transaction pooling). */
  primaryPooled?: string;
  /** Every pooled target by name (the primary, and shard primaries when there are some). */
  pooled?: Record<string, string>;
  /** The extra shard primaries 1..N-1 through pgbouncer, in shard order (as `urls.shards`). */
  shardsPooled?: string[];
  /** pgbouncer's admin console (SHOW STATS, SHOW POOLS). */
  pgbouncerAdmin?: string;
}

/** The three services of a stack. */
export type ServiceName = 'primary' | 'replica' | 'redis';

/** The services in start order (stop order is the reverse). */
export const SERVICES: readonly ServiceName[] = ['primary', 'replica', 'redis'];

/** Connection URLs of a stack's services. */
export interface StackUrls {
  primary: string;
  replica: string;
  redis: string;
  /** Extra shard primaries 1..N-1 (`--shards N`); shard 0 is `primary`. Absent: one shard. */
  shards?: string[];
  /** The primary through pgbouncer (`pgbouncer` option); absent without it. */
  primaryPooled?: string;
  /** nginx in front of the app instances (`nginx` option); absent without it. */
  web?: string;
}

/** One service as recorded in state.json. */
export interface ServiceState {
  port: number;
  url: string;
  pidFile: string;
  logFile: string;
  /** PostgreSQL data folder (primary and replica only). */
  dataDir?: string;
}

/** An extra process (app, stub upstream) attached to the stack, stopped with it. */
export interface ManagedState {
  name: string;
  pid: number;
  command: string;
  logFile?: string;
}

/** The content of `.stack/<name>/state.json`. */
export interface StackState {
  version: 1;
  name: string;
  dir: string;
  startedAt: string;
  pgBinDir: string;
  redisBin: string;
  runAs?: RunAs;
  services: Record<ServiceName, ServiceState>;
  managed: ManagedState[];
  /** Extra shard primaries 1..N-1 (`--shards N`), without replicas. */
  shards?: ServiceState[];
  /** nginx / pgbouncer URLs when the stack started them (their pids are in `managed`). */
  edge?: EdgeState;
  /** Set while the stack is being started: the starting process, so nobody takes the folder for stale before pid files exist. */
  startingPid?: number;
  /** The process the stack stops with (a run's; absent for `stack up`), and its start time: when it dies, the next start cleans up. */
  ownerPid?: number;
  ownerStartTime?: number;
}

/** Where a stack lives: `dir` when given, else `<cwd>/.stack/<name>`. */
export function stackDir(options: { name: string; dir?: string; cwd?: string }): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(options.name)) {
    throw usageError(
      `stack name "${options.name}" is not valid`,
      'use letters, digits, "-", "_" or "." (for example --name default)',
    );
  }
  return options.dir ? resolve(options.dir) : join(resolve(options.cwd ?? process.cwd()), '.stack', options.name);
}

/** The state file's path inside a stack folder. */
export const stateFile = (dir: string): string => join(dir, 'state.json');

/** Reads a stack's state file; undefined when there is none (or it is unreadable). */
export async function readStateFile(dir: string): Promise<StackState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dir), 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

/** Writes state.json atomically (write + rename) so readers never see half a file. */
export async function writeStateFile(state: StackState): Promise<void> {
  await mkdir(state.dir, { recursive: true });
  const tmp = `${stateFile(state.dir)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, stateFile(state.dir));
}

/** What a service's process runs, to tell it from an unrelated process that reused its pid. */
export const markerOf = (service: ServiceName): string => (service === 'redis' ? 'redis' : 'postgres');

/** The command a managed process runs, for the same check. */
export const managedMarker = (m: ManagedState): string => basename(m.command);

/** Pids of the stack's processes (services, attached ones, a start in progress) that are still alive. */
export async function livePids(dir: string): Promise<number[]> {
  // The pid files are read whatever state.json says: after a crash it may be missing.
  const files: [string, string][] = [
    [join(dir, 'primary', 'postmaster.pid'), 'postgres'],
    [join(dir, 'replica', 'postmaster.pid'), 'postgres'],
    [join(dir, 'redis.pid'), 'redis'],
  ];
  const pids: number[] = [];
  for (const [file, marker] of files) {
    const pid = await livePidFromFile(file, marker);
    if (pid !== undefined) pids.push(pid);
  }
  const state = await readStateFile(dir);
  for (const s of state?.shards ?? []) {
    const pid = await livePidFromFile(s.pidFile, 'postgres');
    if (pid !== undefined) pids.push(pid);
  }
  pids.push(...(state?.managed.filter((m) => runs(m.pid, managedMarker(m))).map((m) => m.pid) ?? []));
  if (state?.startingPid !== undefined && isAlive(state.startingPid)) pids.push(state.startingPid);
  return pids.filter((pid) => pid !== process.pid);
}

/**
 * Looks at a stack folder before starting: 'absent', 'running' (some of its
 * processes live), or 'cleaned' when it was left by a crashed run (every pid
 * dead), in which case the folder has been removed and a line logged.
 */
export async function inspectStackDir(
  dir: string,
  log: (line: string) => void,
): Promise<'absent' | 'running' | 'cleaned'> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return 'absent';
  }
  if ((await livePids(dir)).length > 0) return 'running';
  if (entries.length > 0) {
    log(`removing stale stack folder ${dir} (left by a run that stopped without cleaning up; its processes are gone)`);
  }
  await rm(dir, { recursive: true, force: true });
  return entries.length > 0 ? 'cleaned' : 'absent';
}
