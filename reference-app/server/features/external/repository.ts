import type { Database } from '../../db/database.ts';

/** Snapshots of external answers in PostgreSQL: history, and the last resort when Redis and the upstream are both gone. */
export class ExternalRepository {
  constructor(private readonly db: Database) {}

  async save(source: string, fetchedAt: Date, payload: unknown): Promise<void> {
    await this.db.write({}, (tx) =>
      tx.query('INSERT INTO external_snapshots (source, fetched_at, payload) VALUES ($1, $2, $3)', [
        source,
        fetchedAt,
        JSON.stringify(payload),
      ]),
    );
  }

  async latest(source: string): Promise<{ fetchedAt: Date; payload: unknown } | undefined> {
    const rows = await this.db.read<{ fetched_at: Date; payload: unknown }>(
      {},
      'SELECT payload, fetched_at FROM external_snapshots WHERE source = $1 ORDER BY fetched_at DESC LIMIT 1',
      [source],
    );
    const r = rows[0];
    return r ? { fetchedAt: r.fetched_at, payload: r.payload } : undefined;
  }
}
