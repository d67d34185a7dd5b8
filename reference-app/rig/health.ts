/**
 * Health checks of the stack's services: PostgreSQL answering, the replica
 * in recovery and streaming from the primary, Redis answering PING, and the
 * replication lag for `status`.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** Runs one query on a fresh connection and closes it; rows as plain objects. */
export async function queryOnce<T extends Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined); // a server stopping under us is reported by the query, not as a crash
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Sends PING to a Redis URL over a raw socket; true on +PONG. */
export function redisPing(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data: Buffer) => done(data.toString().startsWith('+PONG')));
  });
}

/** Polls `check` until it returns true; throws with `what` and the last error after timeoutMs. */
export async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(100);
  }
}

/** True when the replica is in recovery and the primary lists a streaming standby. */
export async function replicaStreaming(primaryUrl: string, replicaUrl: string): Promise<boolean> {
  const [recovery] = await queryOnce<{ r: boolean }>(replicaUrl, 'SELECT pg_is_in_recovery() AS r');
  if (recovery?.r !== true) return false;
  const rows = await queryOnce<{ n: string }>(
    primaryUrl,
    "SELECT count(*) AS n FROM pg_stat_replication WHERE state = 'streaming'",
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Replication lag as `status` shows it. */
export interface ReplicationLag {
  /** Bytes of WAL the replica has not replayed yet (pg_stat_replication.replay_lsn). */
  bytes: number;
  /** Seconds since the last replayed transaction's commit; 0 when nothing is pending. */
  seconds: number;
  state: string;
}

/**
 * Reads the replica's lag from the primary's pg_stat_replication: WAL bytes not yet replayed and replay_lag
 * (NULL once the standby has caught up and the primary is idle: no lag).
 */
export async function replicationLag(primaryUrl: string): Promise<ReplicationLag | undefined> {
  const [row] = await queryOnce<{ state: string; bytes: string | null; s: number | null }>(
    primaryUrl,
    `SELECT state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS bytes,
       coalesce(extract(epoch FROM replay_lag), 0)::float8 AS s FROM pg_stat_replication ORDER BY backend_start LIMIT 1`,
  );
  if (!row) return undefined;
  return { bytes: Number(row.bytes ?? 0), seconds: Math.max(0, Number(row.s ?? 0)), state: row.state };
}

/** Waits until the replica has replayed everything the primary had written when called. */
export async function waitForReplay(primaryUrl: string, replicaUrl: string, timeoutMs = 120_000): Promise<void> {
  const [current] = await queryOnce<{ lsn: string }>(primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
  const target = current?.lsn ?? '0/0';
  await waitUntil(`the replica to replay up to ${target}`, timeoutMs, async () => {
    const [row] = await queryOnce<{ ok: boolean | null }>(
      replicaUrl,
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
      [target],
    );
    return row?.ok === true;
  });
}
