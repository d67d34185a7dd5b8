/**
 * What the reference rig samples while the scenarios run: its process groups
 * (app instances, upstream stub, PostgreSQL primary/replica/shards, Redis,
 * nginx, pgbouncer) with their roles, the databases' data folders, Redis's own
 * memory figure, and /api/performance with the auto-scaling decisions in it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { descendantPids } from '../../toolkit/process/processes.ts';
import type { ManagedProcess } from '../../toolkit/process/managed.ts';
import { performanceSampler, processSampler, type ProcessGroup, type Sampler } from '../../toolkit/target/index.ts';
import type { StackHandle } from './stack.ts';
import { stateFile, type ServiceName, type StackState } from './state.ts';
import { fromAutoscalingReadings } from './autoscale-readings.ts';
import { redisUsedMemory } from './redis-info.ts';
import { databaseSampler, type DatabaseServers } from './database-sampler.ts';

/** What each process group is for, in the result model's terms; unnamed groups are 'other'. */
const ROLES: Record<string, ProcessGroup['role']> = {
  app: 'app',
  upstream: 'other',
  'postgres-primary': 'database',
  'postgres-replica': 'database',
  redis: 'cache',
  nginx: 'other',
  pgbouncer: 'other',
};

const roleOf = (name: string): ProcessGroup['role'] =>
  ROLES[name] ?? (name.startsWith('postgres-') ? 'database' : 'other');

function readFileSyncSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The stack's state file, read anew (services may restart, shards and edge processes get added). */
function readState(dir: string | undefined): StackState | undefined {
  try {
    return dir ? (JSON.parse(readFileSyncSafe(stateFile(dir))) as StackState) : undefined;
  } catch {
    return undefined;
  }
}

/** A pid file's process and its descendants. */
function pidFileGroup(pidFile: string | undefined): number[] {
  const pid = pidFile ? Number(readFileSyncSafe(pidFile).split('\n')[0]?.trim()) : NaN;
  return Number.isInteger(pid) && pid > 0 ? [pid, ...descendantPids(pid)] : [];
}

/** The stack's own processes by group name: services, extra shard primaries, nginx and pgbouncer. */
function stackGroups(dir: string | undefined): Record<string, number[]> {
  const state = readState(dir);
  const service = (name: ServiceName): number[] => pidFileGroup(state?.services[name].pidFile);
  const groups: Record<string, number[]> = {
    'postgres-primary': service('primary'),
    'postgres-replica': service('replica'),
    redis: service('redis'),
  };
  for (const m of (state?.managed ?? []).filter((x) => x.name === 'nginx' || x.name === 'pgbouncer'))
    groups[m.name] = [m.pid, ...descendantPids(m.pid)];
  for (const [i, s] of (state?.shards ?? []).entries()) {
    const pids = pidFileGroup(s.pidFile);
    if (pids.length > 0) groups[`postgres-shard-${i + 1}`] = pids;
  }
  return groups;
}

/** The stack's PostgreSQL servers by name (primary, replica, shards) and pgbouncer's admin console. */
export function databaseServers(stack: StackHandle): DatabaseServers {
  const servers: Record<string, string> = { primary: stack.urls.primary, replica: stack.urls.replica };
  for (const [i, url] of (stack.urls.shards ?? []).entries()) servers[`shard-${i + 1}`] = url;
  const admin = stack.edge?.pgbouncerAdmin;
  return { servers, ...(admin ? { pgbouncer: admin } : {}) };
}

/** The reference target's samplers, given its stack and the app and upstream processes started on it. */
export function referenceSamplers(
  stack: StackHandle,
  apps: ManagedProcess[],
  upstream: ManagedProcess,
  performanceToken: string,
): Sampler[] {
  const dir = stack.dir;
  const groups = (): ProcessGroup[] =>
    Object.entries({
      app: apps.flatMap((app) => [app.pid, ...descendantPids(app.pid)]),
      upstream: [upstream.pid],
      ...stackGroups(dir),
    }).map(([name, pids]) => ({ name, role: roleOf(name), pids }));
  const folders: Record<string, string> = dir
    ? { 'postgres-primary': path.join(dir, 'primary'), 'postgres-replica': path.join(dir, 'replica') }
    : {};
  const autoscaling = (readings: Parameters<typeof fromAutoscalingReadings>[0], runStartMs: number) => {
    const scaling = fromAutoscalingReadings(readings, runStartMs);
    return scaling ? { scaling } : {};
  };
  return [
    performanceSampler({ extra: autoscaling, headers: { authorization: `Bearer ${performanceToken}` } }),
    processSampler({ groups, folders, memory: { redis: () => redisUsedMemory(stack.urls.redis) } }),
    databaseSampler(databaseServers(stack)),
  ];
}
