/**
 * The stack's working folder (`.stack/<name>/`) and its state file: which
 * services run on which ports, where their pid files are, and which extra
 * processes were attached. Also tells a running stack from a stale one.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { usageError } from '../errors.ts';
import { isAlive, readPidFile, type RunAs } from './processes.ts';

/** The three services of a stack. */
export type ServiceName = 'primary' | 'replica' | 'redis';

/** The services in start order (stop order is the reverse). */
export const SERVICES: readonly ServiceName[] = ['primary', 'replica', 'redis'];

/** Connection URLs of a stack's services. */
export interface StackUrls {
  primary: string;
  replica: string;
  redis: string;
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
  /** Set while the stack is being started: the starting process, so nobody takes the folder for stale before pid files exist. */
  startingPid?: number;
}

/** Where a stack lives: `dir` when given, else `<cwd>/.stack/<name>`. */
export function stackDir(options: { name: string; dir?: string; cwd?: string }): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(options.name)) {
    throw usageError(`stack name "${options.name}" is not valid`, 'use letters, digits, "-", "_" or "." (for example --name default)');
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

/** The pid files a stack folder may hold, whatever state.json says (it may not exist after a crash). */
function pidFiles(dir: string): string[] {
  return [join(dir, 'primary', 'postmaster.pid'), join(dir, 'replica', 'postmaster.pid'), join(dir, 'redis.pid')];
}

/** Pids of the stack's processes (services and attached ones) that are still alive. */
export async function livePids(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const file of pidFiles(dir)) {
    const pid = await readPidFile(file);
    if (pid !== undefined) pids.push(pid);
  }
  const state = await readStateFile(dir);
  pids.push(...(state?.managed.map((m) => m.pid) ?? []));
  if (state?.startingPid !== undefined) pids.push(state.startingPid);
  return pids.filter((pid) => pid !== process.pid && isAlive(pid));
}

/**
 * Looks at a stack folder before starting: 'absent', 'running' (some of its
 * processes live), or 'cleaned' when it was left by a crashed run (every pid
 * dead), in which case the folder has been removed and a line logged.
 */
export async function inspectStackDir(dir: string, log: (line: string) => void): Promise<'absent' | 'running' | 'cleaned'> {
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
