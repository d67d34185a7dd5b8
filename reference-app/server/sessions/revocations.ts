import type { Database } from '../db/database.ts';

/**
 * The durable record of sign-outs (table session_revocations, by session hash).
 * Written on the primary; read from the primary (a revocation must be seen the
 * moment it is recorded), or from the replica while the primary is down, when
 * no new revocation can be recorded anyway.
 */
export class RevocationLog {
  constructor(private readonly db: Database) {}

  /** Records a sign-out; throws (503) when the primary is down. */
  async record(hash: string, ttlS: number): Promise<void> {
    await this.db.write({}, (tx) =>
      tx.query(
        `INSERT INTO session_revocations (session_hash, expires_at) VALUES ($1, now() + make_interval(secs => $2))
         ON CONFLICT (session_hash) DO NOTHING`,
        [hash, ttlS],
      ),
    );
  }

  /** Which of these session hashes were signed out (and have not expired). */
  async revoked(hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = await this.db.readLatest<{ session_hash: string }>(
      'SELECT session_hash FROM session_revocations WHERE session_hash = ANY($1::text[]) AND expires_at > now()',
      [hashes],
    );
    return new Set(rows.map((r) => r.session_hash));
  }

  /** Hashes of the unexpired sessions signed out at or after `at`. */
  async since(at: Date): Promise<string[]> {
    const rows = await this.db.readLatest<{ session_hash: string }>(
      'SELECT session_hash FROM session_revocations WHERE revoked_at >= $1 AND expires_at > now()',
      [at],
    );
    return rows.map((r) => r.session_hash);
  }

  /** Deletes the rows of sessions that have expired anyway; returns how many. */
  async prune(): Promise<number> {
    return this.db.write({}, async (tx) => {
      const r = await tx.query('DELETE FROM session_revocations WHERE expires_at <= now()');
      return r.rowCount ?? 0;
    });
  }
}
