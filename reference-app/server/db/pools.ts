import pg from 'pg';
import type { Logger } from '../log.ts';

/** A pool with the role it plays, sized and with a statement timeout from the config. */
export interface NamedPool {
  role: 'primary' | 'replica';
  pool: pg.Pool;
}

// bigint counts (count(*)) come back as strings by default; the app's ids and counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export function createPool(
  role: 'primary' | 'replica',
  url: string,
  opts: { max: number; statementTimeoutMs: number },
  log: Logger,
): NamedPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max,
    idleTimeoutMillis: 30_000,
    // Fail fast when the server is down so requests can move to the other node or answer 503.
    connectionTimeoutMillis: 2_000,
    statement_timeout: opts.statementTimeoutMs,
    application_name: `reference-app-${role}`,
  });
  // Idle clients error when the server goes away; that must never crash the process.
  pool.on('error', (err) => log.warn('idle database client failed', { pool: role, err: err.message }));
  return { role, pool };
}
