/**
 * pgbouncer in transaction mode between the app instances and each primary:
 * a private instance on a free loopback port with its config in the stack
 * folder (never the system service or /etc/pgbouncer), one pooled database per
 * target, and its admin console (`pgbouncer` database) for SHOW STATS / POOLS.
 */
import { cpus } from 'node:os';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolkitError } from '../../toolkit/errors.ts';
import { findServer, spawnEdge, type EdgeProcess, type FindServerOptions } from './edge-process.ts';
import { queryOnce } from './health.ts';
import { freePort } from '../../toolkit/process/ports.ts';
import type { RunAs } from '../../toolkit/process/processes.ts';

/** One server pgbouncer pools connections to; `name` becomes the database name clients connect to. */
export interface PoolTarget {
  name: string;
  url: string;
}

/** Options of startPgbouncer. */
export interface PgbouncerOptions {
  targets: PoolTarget[];
  /** Folder for pgbouncer.ini, the auth file and the log (created). */
  dir: string;
  env?: Record<string, string | undefined>;
  /** Folders tried after PATH for the binary (tests: an empty folder). */
  extraDirs?: string[];
  /** pgbouncer refuses to run as root: when we are root it switches to this user (`-u`). */
  runAs?: RunAs | undefined;
  /** Server connections per target (default: sized for the machine's cores). */
  poolSize?: number;
  /** Client connections accepted (default 1000). */
  maxClientConn?: number;
  /**
   * pgbouncer cannot forward a client's statement_timeout startup parameter, so
   * it is dropped and this value set on each server connection instead.
   */
  statementTimeoutMs?: number;
  port?: number;
  detached?: boolean;
}

/** A running pgbouncer. */
export interface Pgbouncer extends EdgeProcess {
  port: number;
  /** Pooled URL per target name. */
  urls: Record<string, string>;
  /** The admin console (`SHOW STATS`, `SHOW POOLS`). */
  adminUrl: string;
}

/** Finds the pgbouncer binary (PATH, then /usr/sbin and friends) or throws BINARY_MISSING naming the packages. */
export function findPgbouncer(options: FindServerOptions = {}): string {
  return findServer(
    'pgbouncer',
    { debian: 'pgbouncer', homebrew: 'pgbouncer', why: 'needed for --pgbouncer' },
    options,
  );
}

/**
 * Server connections per database: transactions here are short, so a few per
 * core keep PostgreSQL busy without making it juggle hundreds of backends.
 */
export function defaultPoolSize(cores = cpus().length): number {
  return Math.max(5, Math.min(40, cores * 3));
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

interface ParsedTarget {
  name: string;
  host: string;
  port: string;
  dbname: string;
  user: string;
}

function parseTarget(target: PoolTarget): ParsedTarget {
  if (!NAME.test(target.name) || target.name === 'pgbouncer') {
    throw new ToolkitError('USAGE', `pgbouncer target name "${target.name}" is not valid`, {
      fix: 'use letters, digits and "_" (not "pgbouncer", the admin console)',
    });
  }
  const url = new URL(target.url);
  return {
    name: target.name,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || '5432',
    dbname: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(url.username) || 'postgres',
  };
}

/** The pgbouncer.ini text for these targets (a pure function, unit-tested). */
export function pgbouncerIni(o: {
  port: number;
  dir: string;
  targets: PoolTarget[];
  poolSize: number;
  maxClientConn: number;
  statementTimeoutMs?: number;
}): string {
  const parsed = o.targets.map(parseTarget);
  const connectQuery = o.statementTimeoutMs
    ? ` connect_query='SET statement_timeout = ${Math.round(o.statementTimeoutMs)}'`
    : '';
  const users = [...new Set(parsed.map((t) => t.user))];
  return [
    '; perfkit private stack: generated, rewritten on each start',
    '[databases]',
    ...parsed.map((t) => `${t.name} = host=${t.host} port=${t.port} dbname=${t.dbname} user=${t.user}${connectQuery}`),
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${o.port}`,
    // No unix socket: it would default to /tmp and clash with other instances.
    'unix_socket_dir =',
    'pool_mode = transaction',
    'auth_type = trust',
    `auth_file = ${join(o.dir, 'userlist.txt')}`,
    `admin_users = ${users.join(', ')}`,
    `stats_users = ${users.join(', ')}`,
    `max_client_conn = ${o.maxClientConn}`,
    `default_pool_size = ${o.poolSize}`,
    'min_pool_size = 2',
    'reserve_pool_size = 2',
    'reserve_pool_timeout = 1',
    `max_db_connections = ${o.poolSize + 2}`,
    // node-pg sends statement_timeout (set above per server connection instead); others send extra_float_digits.
    'ignore_startup_parameters = extra_float_digits, statement_timeout, options',
    'server_reset_query =',
    'server_check_delay = 10',
    'query_wait_timeout = 30',
    'log_connections = 0',
    'log_disconnections = 0',
    'stats_period = 10',
    '',
  ].join('\n');
}

async function writeFiles(dir: string, ini: string, users: string[], runAs: RunAs | undefined): Promise<string> {
  await mkdir(dir, { recursive: true });
  if (runAs) await chown(dir, runAs.uid, runAs.gid);
  const iniFile = join(dir, 'pgbouncer.ini');
  await writeFile(iniFile, ini);
  await writeFile(join(dir, 'userlist.txt'), users.map((u) => `"${u}" ""`).join('\n') + '\n');
  return iniFile;
}

/** True when the admin console answers and every pooled database runs a query. */
async function poolsAnswer(adminUrl: string, urls: string[]): Promise<boolean> {
  await queryOnce(adminUrl, 'SHOW VERSION');
  for (const url of urls) await queryOnce(url, 'SELECT 1');
  return true;
}

/** Starts a private pgbouncer (transaction pooling) in front of the targets; resolves once each pooled database answers. */
export async function startPgbouncer(options: PgbouncerOptions): Promise<Pgbouncer> {
  if (options.targets.length === 0)
    throw new ToolkitError('USAGE', 'startPgbouncer: no targets', { fix: 'pass at least one { name, url }' });
  const bin = findPgbouncer({
    ...(options.env ? { env: options.env } : {}),
    ...(options.extraDirs ? { extraDirs: options.extraDirs } : {}),
  });
  const port = options.port ?? (await freePort());
  const users = [...new Set(options.targets.map((t) => parseTarget(t).user))];
  const ini = pgbouncerIni({
    port,
    dir: options.dir,
    targets: options.targets,
    poolSize: options.poolSize ?? defaultPoolSize(),
    maxClientConn: options.maxClientConn ?? 1000,
    ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
  });
  const iniFile = await writeFiles(options.dir, ini, users, options.runAs);
  const admin = users[0] ?? 'postgres';
  const urls = Object.fromEntries(
    options.targets.map((t) => [
      t.name,
      `postgres://${encodeURIComponent(parseTarget(t).user)}@127.0.0.1:${port}/${t.name}`,
    ]),
  );
  const adminUrl = `postgres://${encodeURIComponent(admin)}@127.0.0.1:${port}/pgbouncer`;
  const proc = await spawnEdge({
    name: 'pgbouncer',
    command: bin,
    args: [...(options.runAs ? ['-u', options.runAs.user] : []), iniFile],
    logFile: join(options.dir, 'pgbouncer.log'),
    ready: () => poolsAnswer(adminUrl, Object.values(urls)),
    ...(options.detached ? { detached: true } : {}),
  });
  return { ...proc, port, urls, adminUrl };
}

/** One row of the admin console's SHOW STATS (the counters we read). */
export interface PgbouncerStats {
  database: string;
  totalXactCount: number;
  totalQueryCount: number;
}

/** Reads SHOW STATS from the admin console. */
export async function pgbouncerStats(adminUrl: string): Promise<PgbouncerStats[]> {
  const rows = await queryOnce<Record<string, unknown>>(adminUrl, 'SHOW STATS');
  return rows.map((r) => ({
    database: String(r.database),
    totalXactCount: Number(r.total_xact_count ?? 0),
    totalQueryCount: Number(r.total_query_count ?? 0),
  }));
}
