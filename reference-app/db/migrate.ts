/**
 * Versioned migrations: files `migrations/NNN_name.sql` applied in order,
 * each in its own transaction, recorded in `schema_migrations`. Concurrent
 * runs (several test runs, several app instances) serialise on an advisory lock.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pg from 'pg';
import { ToolkitError } from '../../toolkit/errors.ts';

/** The folder holding this app's migrations. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

// Any constant works; it only has to be the same for every runner.
const LOCK_KEY = 7_243_001;

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  file: string;
}

/** Lists `NNN_name.sql` files in version order; a misnamed .sql file or a duplicate version is an error. */
export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Map<number, string>();
  return files.map((file) => {
    const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match?.[1] || !match[2]) {
      throw new ToolkitError('CONFIG_INVALID', `${join(dir, file)}: migration files must be named NNN_name.sql`, {
        fix: 'rename it, e.g. 002_add_sessions.sql (three digits, lowercase name)',
      });
    }
    const version = Number(match[1]);
    const other = seen.get(version);
    if (other) {
      throw new ToolkitError('CONFIG_INVALID', `${join(dir, file)}: version ${match[1]} is also used by ${other}`, {
        fix: 'give each migration its own number',
      });
    }
    seen.set(version, file);
    return { version, name: match[2], file: join(dir, file) };
  });
}

/** What a migrate run did. */
export interface MigrateResult {
  applied: Migration[];
  alreadyApplied: number;
}

/** Applies every pending migration to the database at `url`. */
export async function migrate(
  url: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? ((): void => undefined);
  const migrations = await listMigrations(options.dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const applied: Migration[] = [];
    for (const m of migrations.filter((x) => !done.has(x.version))) {
      await applyOne(client, m);
      log(`applied migration ${String(m.version).padStart(3, '0')}_${m.name}`);
      applied.push(m);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: pg.Client, m: Migration): Promise<void> {
  const sql = await readFile(m.file, 'utf8');
  await client.query('BEGIN');
  try {
    await client.query(sql);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new ToolkitError('DATABASE_ERROR', `${m.file}: ${err instanceof Error ? err.message : String(err)}`, {
      fix: 'fix the SQL of that migration; it was rolled back, nothing of it was applied',
      cause: err,
    });
  }
}
