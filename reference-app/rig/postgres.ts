/**
 * The PostgreSQL side of the stack: a primary made with initdb and a hot
 * standby made with pg_basebackup, both started as daemons with pg_ctl (as the
 * `postgres` user when we are root) and stopped by signalling the postmaster.
 */
import { readFileSync } from 'node:fs';
import { appendFile, chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolkitError } from '../../toolkit/errors.ts';
import type { PostgresBinaries } from './binaries.ts';
import { queryOnce } from './health.ts';
import {
  livePidFromFile,
  readPidFile,
  runTool,
  signal,
  tail,
  waitForExit,
  type RunAs,
  type ToolResult,
} from '../../toolkit/process/processes.ts';

/** What the PostgreSQL helpers need: the binaries and who runs them. */
export interface PgContext {
  bins: PostgresBinaries;
  runAs: RunAs | undefined;
}

/** The database the stack creates for the app (the URLs point at it). */
export const DATABASE = 'perfkit';

/** The replication slot the replica streams from, so the primary keeps WAL the replica still needs. */
const SLOT = 'perfkit_replica';

// Sized for a small shared box; durability is traded for speed because the data is throwaway.
const PRIMARY_CONF = `
# perfkit private stack
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
shared_buffers = 128MB
effective_cache_size = 1GB
work_mem = 8MB
maintenance_work_mem = 256MB
random_page_cost = 1.1
jit = off
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
wal_keep_size = 256MB
max_wal_size = 2GB
checkpoint_timeout = 15min
hot_standby = on
hot_standby_feedback = on
# The replica retries a lost primary every second (default 5 s), so fault tests see it reconnect quickly.
wal_retrieve_retry_interval = 1s
fsync = off
synchronous_commit = off
full_page_writes = off
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
track_io_timing = on
log_min_duration_statement = 500
`;

/** The connection URL of a stack PostgreSQL on a port. */
export const postgresUrl = (port: number): string => `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;

function pgEnv(ctx: PgContext): NodeJS.ProcessEnv {
  return { PATH: `${ctx.bins.binDir}:/usr/bin:/bin`, LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };
}

function failed(what: string, result: ToolResult, log?: string): ToolkitError {
  const output = `${result.stderr}${result.stdout}`.trim();
  return new ToolkitError(
    'STACK_START_FAILED',
    `${what} failed (exit ${result.code}): ${output}${log ? `\n${log}` : ''}`,
    {
      fix: 'see the log above; `npm run stack -- down` removes a half-started stack',
    },
  );
}

/** Creates a folder owned by whoever runs PostgreSQL. */
export async function mkdirOwned(dir: string, runAs: RunAs | undefined, mode = 0o700): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
  if (runAs) await chown(dir, runAs.uid, runAs.gid);
}

/** Sets the port of a data folder in postgresql.auto.conf (later lines win, so appending is enough). */
export async function setPort(dataDir: string, port: number): Promise<void> {
  await appendFile(join(dataDir, 'postgresql.auto.conf'), `port = ${port}\n`);
}

/** initdb + configuration of the primary's data folder (its port is set when it starts). */
export async function initPrimary(ctx: PgContext, dataDir: string): Promise<void> {
  await mkdirOwned(dataDir, ctx.runAs);
  const args = [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
    '--no-instructions',
  ];
  const result = await runTool(ctx.bins.initdb, args, { runAs: ctx.runAs, env: pgEnv(ctx) });
  if (result.code !== 0) throw failed('initdb', result);
  await appendFile(join(dataDir, 'postgresql.conf'), PRIMARY_CONF);
}

/** Starts a data folder's server as a daemon with pg_ctl and waits until it accepts connections. */
export async function startPostgres(ctx: PgContext, dataDir: string, logFile: string): Promise<number> {
  const result = await runTool(ctx.bins.pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '30', 'start'], {
    runAs: ctx.runAs,
    env: pgEnv(ctx),
  });
  const pid = await readPidFile(join(dataDir, 'postmaster.pid'));
  if (result.code !== 0 || pid === undefined) throw failed(`pg_ctl start (${dataDir})`, result, await tail(logFile));
  return pid;
}

/** True when a failed start was a port clash (someone took the port after we picked it). */
export const isPortClash = (err: unknown): boolean =>
  err instanceof ToolkitError && /could not (bind|create listen)|address already in use/i.test(err.message);

/** Creates the app database and the pg_stat_statements extension on the primary. */
export async function prepareDatabase(port: number): Promise<void> {
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const exists = await queryOnce(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.length === 0) await queryOnce(admin, `CREATE DATABASE ${DATABASE}`);
  await queryOnce(postgresUrl(port), 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
}

/** Copies the running primary into a hot standby that streams from it (its own port is set when it starts). */
export async function createReplica(ctx: PgContext, primaryPort: number, dataDir: string): Promise<void> {
  await mkdirOwned(dataDir, ctx.runAs);
  const args = ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', dataDir];
  args.push('-R', '-X', 'stream', '-c', 'fast', '-C', '-S', SLOT, '--no-sync');
  const result = await runTool(ctx.bins.pgBasebackup, args, { runAs: ctx.runAs, env: pgEnv(ctx) });
  if (result.code !== 0) throw failed('pg_basebackup', result);
  await appendFile(join(dataDir, 'postgresql.auto.conf'), "cluster_name = 'perfkit-replica'\n");
}

/**
 * Stops the server of a data folder: SIGINT is PostgreSQL's "fast" shutdown
 * (abort transactions, checkpoint, exit); SIGQUIT if it has not gone in time.
 */
export async function stopPostgres(dataDir: string, timeoutMs = 15_000): Promise<void> {
  const pid = await livePidFromFile(join(dataDir, 'postmaster.pid'), 'postgres');
  if (pid === undefined) return;
  signal(pid, 'SIGINT');
  if (await waitForExit(pid, timeoutMs)) return;
  signal(pid, 'SIGQUIT');
  await waitForExit(pid, 5000);
}

/**
 * Who runs PostgreSQL: PostgreSQL refuses to run as root, so when we are root
 * it runs as the `postgres` system user (read from /etc/passwd).
 */
export function postgresRunAs(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) return undefined;
  return { uid: Number(uid), gid: Number(gid), user: 'postgres' };
}
