/**
 * Extra shard primaries of a stack (`stack up --shards N`): shard 0 is the
 * stack's own primary; shards 1..N-1 are further PostgreSQL primaries, made
 * like it (initdb, same settings), without replicas, under `.stack/<name>/shard-<i>/`.
 */
import { join } from 'node:path';
import { usageError } from '../../toolkit/errors.ts';
import { freePort } from '../../toolkit/process/ports.ts';
import {
  initPrimary,
  isPortClash,
  postgresUrl,
  prepareDatabase,
  setPort,
  startPostgres,
  stopPostgres,
  type PgContext,
} from './postgres.ts';
import { livePidFromFile, readPidFileSync, runs, signal } from '../../toolkit/process/processes.ts';
import type { ServiceState, StackState } from './state.ts';

/** The most shards a stack starts (each is a full PostgreSQL server). */
export const MAX_SHARDS = 8;

/** Checks a shard count from a flag or option: 1..MAX_SHARDS. */
export function parseShardCount(value: string | number | undefined, where: string): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS) {
    throw usageError(
      `${where} ${String(value)}: expected a whole number from 1 to ${MAX_SHARDS}`,
      'e.g. --shards 2 (1 = no extra shards)',
    );
  }
  return n;
}

/** The state of the extra shards 1..count-1, on free ports that avoid `avoid`. */
export async function newShardStates(dir: string, count: number, avoid: number[]): Promise<ServiceState[]> {
  const shards: ServiceState[] = [];
  const taken = [...avoid];
  for (let i = 1; i < count; i += 1) {
    const port = await freePort({ avoid: taken });
    taken.push(port);
    const dataDir = join(dir, `shard-${i}`);
    shards.push({
      port,
      url: postgresUrl(port),
      dataDir,
      pidFile: join(dataDir, 'postmaster.pid'),
      logFile: join(dir, `shard-${i}.log`),
    });
  }
  return shards;
}

async function startShard(ctx: PgContext, shard: ServiceState, avoid: number[]): Promise<void> {
  const dataDir = shard.dataDir ?? '';
  await initPrimary(ctx, dataDir);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await setPort(dataDir, shard.port);
      await startPostgres(ctx, dataDir, shard.logFile);
      break;
    } catch (err) {
      if (!isPortClash(err) || attempt >= 3) throw err;
      shard.port = await freePort({ avoid: [...avoid, shard.port] });
    }
  }
  shard.url = postgresUrl(shard.port);
  await prepareDatabase(shard.port);
}

/** Starts every extra shard of the state (in parallel) and logs their URLs. */
export async function startShards(ctx: PgContext, state: StackState, log: (line: string) => void): Promise<void> {
  const shards = state.shards ?? [];
  const avoid = [
    state.services.primary.port,
    state.services.replica.port,
    state.services.redis.port,
    ...shards.map((s) => s.port),
  ];
  await Promise.all(shards.map((s) => startShard(ctx, s, avoid)));
  shards.forEach((s, i) => log(`shard ${i + 1} primary up on ${s.url}`));
}

/** Stops every extra shard of a stack. */
export async function stopShards(state: StackState): Promise<void> {
  await Promise.all((state.shards ?? []).map((s) => stopPostgres(s.dataDir ?? '')));
}

/** Exit-hook stop: signals the shards' postmasters and returns at once. */
export function signalShardsSync(state: StackState): void {
  for (const s of state.shards ?? []) {
    const pid = readPidFileSync(s.pidFile);
    if (runs(pid, 'postgres')) signal(pid, 'SIGINT');
  }
}

/** Live postmaster pids of the shards. */
export async function liveShardPids(state: StackState | undefined): Promise<number[]> {
  const pids: number[] = [];
  for (const s of state?.shards ?? []) {
    const pid = await livePidFromFile(s.pidFile, 'postgres');
    if (pid !== undefined) pids.push(pid);
  }
  return pids;
}
