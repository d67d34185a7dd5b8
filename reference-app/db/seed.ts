/**
 * The seed: businesses, their accounts, metric definitions, points and the
 * hourly rollups computed from them, loaded with COPY. After loading it
 * vacuums/analyzes (fresh statistics and visibility maps for index-only scans)
 * and waits until the replica has replayed everything.
 */
import { scryptSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { waitForReplay } from '../../toolkit/stack/health.ts';
import { migrate } from './migrate.ts';
import { copyText, METRICS, pointRows, prng, rollupRows, SCALES, timeline, type ScaleName } from './seed-data.ts';

/** The password of every seeded account (documented in reference-app/API.md). */
export const SEED_PASSWORD = 'perfkit-demo';

/** What seedDatabase needs. */
export interface SeedOptions {
  /** The primary. */
  url: string;
  /** When given, seeding returns only once this replica has replayed the load. */
  replicaUrl?: string;
  scale: ScaleName;
  /** PRNG seed (default 42): same seed, same data. */
  seed?: number;
  log?: (line: string) => void;
  /** The end of the time series (default: now). */
  now?: Date;
}

/** What was loaded and how fast. */
export interface SeedResult {
  scale: ScaleName;
  seed: number;
  businesses: number;
  users: number;
  points: number;
  rollups: number;
  seconds: number;
  pointsPerSecond: number;
}

const TABLES = ['metric_points', 'metric_rollups_hourly', 'metric_writes', 'external_snapshots', 'metric_definitions', 'users', 'businesses'];

/**
 * The stored hash of SEED_PASSWORD (`scrypt$N$r$p$saltB64$hashB64`), computed
 * once per run and shared by every seeded user. Seed-only: real accounts get
 * their own random salt from the app's password module.
 */
export function seedPasswordHash(seed: number): string {
  const rand = prng(seed ^ 0x5eed);
  const salt = Buffer.from(Array.from({ length: 16 }, () => Math.floor(rand() * 256)));
  const [N, r, p] = [16384, 8, 1];
  const hash = scryptSync(SEED_PASSWORD, salt, 32, { N, r, p, maxmem: 256 * N * r * p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function copyInto(client: pg.Client, table: string, columns: string[], rows: Iterable<string>): Promise<void> {
  const sink = client.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(rows), sink);
}

function* lines(rows: Iterable<(string | number | null)[]>): Generator<string> {
  for (const row of rows) yield row.map((v) => (v === null ? '\\N' : copyText(String(v)))).join('\t') + '\n';
}

const PREFERENCES = JSON.stringify({ theme: 'system', defaultRange: '24h', favoriteMetrics: ['revenue', 'orders'], version: 1 });

/** Accounts per API.md: owner@business-<n>.example and viewer<k>@business-<n>.example. */
function* userRows(businesses: number, viewers: number, hash: string): Generator<(string | number)[]> {
  let id = 0;
  for (let b = 1; b <= businesses; b += 1) {
    yield [(id += 1), b, `owner@business-${b}.example`, hash, `Owner ${b}`, 'owner', PREFERENCES];
    for (let k = 1; k <= viewers; k += 1) {
      yield [(id += 1), b, `viewer${k}@business-${b}.example`, hash, `Viewer ${k} of business ${b}`, 'viewer', PREFERENCES];
    }
  }
}

async function loadAccounts(client: pg.Client, businesses: number, viewers: number, seed: number): Promise<number> {
  const names = Array.from({ length: businesses }, (_, i) => [i + 1, `business-${i + 1}`, `Business ${i + 1}`]);
  await copyInto(client, 'businesses', ['id', 'slug', 'name'], lines(names));
  await copyInto(client, 'users', ['id', 'business_id', 'email', 'password_hash', 'display_name', 'role', 'preferences'],
    lines(userRows(businesses, viewers, seedPasswordHash(seed))));
  const defs = names.flatMap(([b]) => METRICS.map((m) => [b ?? 0, m.metric, m.label, m.unit]));
  await copyInto(client, 'metric_definitions', ['business_id', 'metric', 'label', 'unit'], lines(defs));
  return businesses * (1 + viewers);
}

async function loadHistory(client: pg.Client, businesses: number, viewers: number, end: Date, seed: number): Promise<void> {
  const rand = prng(seed + 7);
  const writes: (string | number)[][] = [];
  for (let b = 1; b <= businesses; b += 1) {
    const owner = (b - 1) * (1 + viewers) + 1;
    for (let w = 0; w < 3; w += 1) writes.push([b, owner, 8 * (1 + w), new Date(end.getTime() - (w + 1) * 600_000).toISOString()]);
  }
  await copyInto(client, 'metric_writes', ['business_id', 'user_id', 'points', 'written_at'], lines(writes));
  const snapshots = [3, 2, 1].map((h) => {
    const fetchedAt = new Date(end.getTime() - h * 3_600_000).toISOString();
    const rates = { EUR: 0.9 + rand() * 0.05, GBP: 0.78 + rand() * 0.04, JPY: 148 + rand() * 5, CHF: 0.88 + rand() * 0.03 };
    return ['rates', fetchedAt, JSON.stringify({ base: 'USD', asOf: fetchedAt, rates })];
  });
  await copyInto(client, 'external_snapshots', ['source', 'fetched_at', 'payload'], lines(snapshots));
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Replaces the database's data with a deterministic data set of the given scale. */
export async function seedDatabase(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? ((): void => undefined);
  const seed = options.seed ?? 42;
  const scale = SCALES[options.scale];
  const started = Date.now();
  await migrate(options.url, { log });
  const [main, second] = await Promise.all([connect(options.url), connect(options.url)]);
  try {
    await main.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    const users = await loadAccounts(main, scale.businesses, scale.viewersPerBusiness, seed);
    const tl = timeline(scale, options.now ?? new Date());
    const end = new Date(tl.times[tl.times.length - 1] ?? Date.now());
    const points = scale.businesses * METRICS.length * tl.times.length;
    log(`loading ${points.toLocaleString('en')} metric points (${options.scale}, seed ${seed})…`);
    const loadStart = Date.now();
    // Points and rollups stream on two connections at once: both cores busy.
    await Promise.all([
      copyInto(main, 'metric_points', ['business_id', 'metric', 'ts', 'value'], pointRows(seed, scale.businesses, tl)),
      copyInto(second, 'metric_rollups_hourly', ['business_id', 'metric', 'bucket', 'count', 'sum', 'min', 'max'],
        rollupRows(seed, scale.businesses, tl)),
    ]);
    const loadSeconds = (Date.now() - loadStart) / 1000;
    log(`loaded in ${loadSeconds.toFixed(1)} s (${Math.round(points / loadSeconds).toLocaleString('en')} rows/s)`);
    await loadHistory(main, scale.businesses, scale.viewersPerBusiness, end, seed);
    for (const t of ['businesses', 'users', 'metric_writes', 'external_snapshots']) {
      await main.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT max(id) FROM ${t}), 1))`);
    }
    await Promise.all([
      main.query('VACUUM (ANALYZE) metric_points'),
      second.query(`VACUUM (ANALYZE) ${TABLES.filter((t) => t !== 'metric_points').join(', ')}`),
    ]);
    const counted = await main.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_rollups_hourly');
    const rollups = counted.rows[0]?.n ?? 0;
    if (options.replicaUrl) {
      await waitForReplay(options.url, options.replicaUrl, 300_000);
      log('replica caught up');
    }
    const seconds = (Date.now() - started) / 1000;
    const result = { scale: options.scale, seed, businesses: scale.businesses, users, points, rollups, seconds, pointsPerSecond: Math.round(points / loadSeconds) };
    log(`seeded ${points.toLocaleString('en')} points, ${rollups.toLocaleString('en')} rollups, ${users} users in ${seconds.toFixed(1)} s`);
    return result;
  } finally {
    await Promise.all([main.end(), second.end()]);
  }
}
