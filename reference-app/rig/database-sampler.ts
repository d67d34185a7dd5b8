/**
 * The rig's database sampler: every second the replica's lag (bytes from the
 * primary's pg_stat_replication, seconds from the replica's replay timestamp),
 * client connections per server (and pgbouncer's clients), and the shared-buffer
 * hit ratio; at the end the run window's per-statement work, as the difference
 * of two pg_stat_statements readings taken when the scenarios start and stop.
 */
import pg from 'pg';
import type { DatabasePoint, DatabaseResults, QueryStat } from '../../toolkit/results/index.ts';
import type { Sampler } from '../../toolkit/target/index.ts';
import { statementDeltas, type StatementRow } from './statement-deltas.ts';

/** Marks the sampler's own connections so they are neither counted nor listed. */
export const SAMPLER_APP_NAME = 'perfkit-sampler';

/** The servers to read: name → URL (primary first; `replica` gets the lag). */
export interface DatabaseServers {
  servers: Record<string, string>;
  /** pgbouncer's admin database URL (…/pgbouncer), when it runs. */
  pgbouncer?: string;
}

const STATEMENTS_SQL = `SELECT s.queryid::text AS id, s.query, s.calls::bigint AS calls, s.total_exec_time AS total_ms, s.rows::bigint AS rows
  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
  WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg\\_stat\\_%' AND s.query NOT ILIKE '%pg\\_last\\_%'`;
const CONNECTIONS_SQL = `SELECT count(*)::int AS n FROM pg_stat_activity
  WHERE backend_type = 'client backend' AND application_name <> '${SAMPLER_APP_NAME}'`;
const BLOCKS_SQL = 'SELECT sum(blks_hit)::float8 AS hit, sum(blks_read)::float8 AS read FROM pg_stat_database';
// Both from the primary's pg_stat_replication: the WAL not yet replayed, and replay_lag, the time between
// the primary flushing WAL and the standby replaying it (NULL once caught up and idle: no lag). The standby's
// `now() - pg_last_xact_replay_timestamp()` is not lag: it counts the time since the primary last committed,
// so a quiet primary that then writes a little reads as seconds behind.
const LAG_SQL = `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS bytes,
  coalesce(extract(epoch FROM replay_lag), 0)::float8 AS s FROM pg_stat_replication ORDER BY backend_start LIMIT 1`;

/** Empties pg_stat_statements on each server, so what they list starts with the run (the seed's statements go). */
export async function resetStatements(servers: Record<string, string>): Promise<void> {
  for (const url of Object.values(servers)) await withClient(url, (c) => c.query('SELECT pg_stat_statements_reset()'));
}

async function withClient<T>(url: string, use: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    application_name: SAMPLER_APP_NAME,
    connectionTimeoutMillis: 3000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One open connection per server, reconnected after a failure; a query that fails gives undefined. */
class Connections {
  private readonly clients = new Map<string, Promise<pg.Client>>();

  constructor(private readonly urls: Record<string, string>) {}

  async query<T>(name: string, sql: string): Promise<T[] | undefined> {
    const url = this.urls[name];
    if (!url) return undefined;
    let pending = this.clients.get(name);
    if (!pending) {
      const client = new pg.Client({
        connectionString: url,
        application_name: SAMPLER_APP_NAME,
        connectionTimeoutMillis: 3000,
      });
      client.on('error', () => this.clients.delete(name));
      pending = client.connect().then(() => client);
      this.clients.set(name, pending);
    }
    try {
      const client = await pending;
      return (await client.query(sql)).rows as T[];
    } catch {
      this.clients.delete(name);
      return undefined;
    }
  }

  async close(): Promise<void> {
    for (const pending of this.clients.values()) await pending.then((c) => c.end()).catch(() => undefined);
    this.clients.clear();
  }
}

async function readStatements(conns: Connections, names: string[]): Promise<Map<string, StatementRow[]>> {
  const out = new Map<string, StatementRow[]>();
  for (const name of names) {
    const rows = await conns.query<{ id: string; query: string; calls: string; total_ms: number; rows: string }>(
      name,
      STATEMENTS_SQL,
    );
    if (rows)
      out.set(
        name,
        rows.map((r) => ({
          id: r.id,
          query: r.query,
          calls: Number(r.calls),
          totalMs: r.total_ms,
          rows: Number(r.rows),
        })),
      );
  }
  return out;
}

/** pgbouncer's client connections over all its pools (active and waiting). */
async function pgbouncerClients(conns: Connections): Promise<number | undefined> {
  const pools = await conns.query<{ database: string; cl_active: string; cl_waiting: string }>(
    'pgbouncer',
    'SHOW POOLS',
  );
  if (!pools) return undefined;
  return pools
    .filter((p) => p.database !== 'pgbouncer')
    .reduce((n, p) => n + Number(p.cl_active) + Number(p.cl_waiting), 0);
}

/** Samples the servers every intervalMs while the scenarios run. */
export function databaseSampler(target: DatabaseServers, intervalMs = 1000): Sampler {
  const names = Object.keys(target.servers);
  const urls: Record<string, string> = {
    ...target.servers,
    ...(target.pgbouncer ? { pgbouncer: target.pgbouncer } : {}),
  };
  return {
    name: 'database',
    start(ctx) {
      const conns = new Connections(urls);
      const points: DatabasePoint[] = [];
      let lastBlocks: { hit: number; read: number } | undefined;
      const first = readStatements(conns, names);
      const tick = async (): Promise<void> => {
        const t = Math.max(0, (Date.now() - ctx.runStartMs) / 1000);
        const connections: Record<string, number> = {};
        let hit = 0;
        let read = 0;
        for (const name of names) {
          const [n] = (await conns.query<{ n: number }>(name, CONNECTIONS_SQL)) ?? [];
          if (n) connections[name] = n.n;
          const [b] = (await conns.query<{ hit: number; read: number }>(name, BLOCKS_SQL)) ?? [];
          hit += b?.hit ?? 0;
          read += b?.read ?? 0;
        }
        const bouncer = target.pgbouncer ? await pgbouncerClients(conns) : undefined;
        if (bouncer !== undefined) connections['pgbouncer'] = bouncer;
        const [lag] = urls['replica']
          ? ((await conns.query<{ bytes: number | null; s: number | null }>(names[0] ?? '', LAG_SQL)) ?? [])
          : [];
        const dHit = lastBlocks ? hit - lastBlocks.hit : 0;
        const dRead = lastBlocks ? read - lastBlocks.read : 0;
        lastBlocks = { hit, read };
        points.push({
          t: Number(t.toFixed(3)),
          replicaLagBytes: lag?.bytes != null ? Math.max(0, lag.bytes) : null,
          replicaLagSeconds: lag?.s != null ? Math.max(0, lag.s) : null,
          connections,
          cacheHitRatio: dHit + dRead > 0 ? dHit / (dHit + dRead) : null,
        });
      };
      let pending: Promise<void> = first.then(tick);
      const timer = setInterval(() => {
        pending = pending.then(tick, tick);
      }, intervalMs);
      timer.unref();
      return {
        async stop(): Promise<{ database?: DatabaseResults }> {
          clearInterval(timer);
          await pending.catch(() => undefined);
          await tick().catch(() => undefined);
          const queries: QueryStat[] = statementDeltas(await first, await readStatements(conns, names), 10);
          await conns.close();
          return { database: databasePiece(points, queries) };
        },
      };
    },
  };
}

/** The sampler's part of the database results; the largest lag sampled stands for the run. */
function databasePiece(points: DatabasePoint[], queries: QueryStat[]): DatabaseResults {
  const lagS = points.flatMap((p) => (p.replicaLagSeconds === null ? [] : [p.replicaLagSeconds]));
  const lagB = points.flatMap((p) => (p.replicaLagBytes === null ? [] : [p.replicaLagBytes]));
  return {
    queryTime: null,
    connectionCount: null,
    slowQueries: [],
    ...(lagS.length ? { replicaLagMs: Number((Math.max(...lagS) * 1000).toFixed(1)) } : {}),
    ...(lagB.length ? { replicaLagBytes: Math.max(...lagB) } : {}),
    queries,
    series: points,
  };
}
