import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { hashPassword } from '../sessions/passwords.ts';

/** An account made for one test. */
export interface TestUser {
  id: number;
  email: string;
  password: string;
}

/** A business made for one test, with unique names so tests never share rows. */
export interface TestBusiness {
  id: number;
  slug: string;
  name: string;
  owner: TestUser;
  viewer: TestUser;
}

export const METRICS: [string, string, string][] = [
  ['revenue', 'Revenue', 'USD'],
  ['orders', 'Orders', 'count'],
  ['active_users', 'Active users', 'count'],
  ['conversion_rate', 'Conversion rate', '%'],
];

// Cheap scrypt parameters: the format is the same, tests just hash faster.
const FAST = { N: 1024, r: 8, p: 1, keyLen: 32 };

/**
 * Creates a business with an owner, a viewer, metric definitions, 26 h of
 * points every 20 min and their hourly rollups; with `replicaUrl`, returns
 * once the replica has replayed them (the app reads from it).
 */
export async function createBusiness(
  databaseUrl: string,
  opts: { points?: boolean; replicaUrl?: string | undefined } = {},
): Promise<TestBusiness> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tag = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const slug = `test-${tag}`;
    const b = await client.query<{ id: string }>('INSERT INTO businesses (slug, name) VALUES ($1, $2) RETURNING id', [
      slug,
      `Test ${tag}`,
    ]);
    const id = Number(b.rows[0]?.id);
    const password = `pw-${tag}`;
    const hash = await hashPassword(password, FAST);
    const mk = async (role: string): Promise<{ id: number; email: string; password: string }> => {
      const email = `${role}-${tag}@example.test`;
      const u = await client.query<{ id: string }>(
        'INSERT INTO users (business_id, email, password_hash, display_name, role) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [id, email, hash, `${role} ${tag}`, role],
      );
      return { id: Number(u.rows[0]?.id), email, password };
    };
    const owner = await mk('owner');
    const viewer = await mk('viewer');
    for (const [metric, label, unit] of METRICS) {
      await client.query('INSERT INTO metric_definitions (business_id, metric, label, unit) VALUES ($1, $2, $3, $4)', [
        id,
        metric,
        label,
        unit,
      ]);
    }
    if (opts.points !== false) await addPoints(client, id);
    if (opts.replicaUrl) await waitForReplica(client, opts.replicaUrl);
    return { id, slug, name: `Test ${tag}`, owner, viewer };
  } finally {
    await client.end();
  }
}

async function addPoints(client: pg.Client, businessId: number): Promise<void> {
  await client.query(
    `INSERT INTO metric_points (business_id, metric, ts, value)
     SELECT $1, d.metric, g.ts, 100 + 10 * sin(extract(epoch FROM g.ts) / 3600) + row_number() OVER (PARTITION BY d.metric ORDER BY g.ts)
       FROM metric_definitions d
      CROSS JOIN generate_series(now() - interval '26 hours', now() - interval '1 minute', interval '20 minutes') AS g(ts)
      WHERE d.business_id = $1`,
    [businessId],
  );
  await client.query(
    `INSERT INTO metric_rollups_hourly (business_id, metric, bucket, count, sum, min, max)
     SELECT business_id, metric, date_trunc('hour', ts, 'UTC'), count(*), sum(value), min(value), max(value)
       FROM metric_points WHERE business_id = $1 GROUP BY 1, 2, 3`,
    [businessId],
  );
}

/** Adds an account with `role` (e.g. 'platform_admin') to a business; with `replicaUrl`, returns once the replica has it. */
export async function addUser(
  databaseUrl: string,
  businessId: number,
  role: string,
  replicaUrl?: string,
): Promise<TestUser> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tag = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const email = `${role.replace(/_/g, '-')}-${tag}@example.test`;
    const password = `pw-${tag}`;
    const u = await client.query<{ id: string }>(
      'INSERT INTO users (business_id, email, password_hash, display_name, role) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [businessId, email, await hashPassword(password, FAST), `${role} ${tag}`, role],
    );
    if (replicaUrl) await waitForReplica(client, replicaUrl);
    return { id: Number(u.rows[0]?.id), email, password };
  } finally {
    await client.end();
  }
}

/** Polls the replica until it has replayed everything the primary has written so far (bounded). */
export async function waitForReplica(primary: pg.Client, replicaUrl: string, timeoutMs = 20_000): Promise<void> {
  const lsn =
    (await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]?.lsn ?? '0/0';
  const replica = new pg.Client({ connectionString: replicaUrl });
  await replica.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = await replica.query<{ ok: boolean | null }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [
        lsn,
      ]);
      if (r.rows[0]?.ok === true) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`the replica did not replay ${lsn} within ${timeoutMs} ms`);
  } finally {
    await replica.end();
  }
}
