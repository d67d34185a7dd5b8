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
import { waitForReplay } from '../rig/health.ts';
import { migrate } from './migrate.ts';
import {
  copyText,
  METRICS,
  pointRows,
  prng,
  rollupRows,
  SCALES,
  timeline,
  type Scale,
  type ScaleName,
  type Timeline,
} from './seed-data.ts';

/** The password of every seeded account (documented in reference-app/API.md). */
export const SEED_PASSWORD = 'perfkit-demo';
/** The seeded platform admin (role platform_admin, home business 1): sees the cross-business overview and SQL text. */
export const SEED_PLATFORM_ADMIN = 'admin@perfkit.example';

/** What seedDatabase needs. */
export interface SeedOptions {
  /** The primary. */
  url: string;
  /** When given, seeding returns only once this replica has replayed the load. */
  replicaUrl?: string;
  /** Extra shard primaries 1..N-1 (DATABASE_SHARD_URLS); business n goes to shard n mod N. */
  shardUrls?: string[];
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

/** Per-business tables: on every shard. */
const SHARD_TABLES = ['metric_points', 'metric_rollups_hourly', 'metric_writes', 'metric_definitions'];
/** Global tables: on the main database (shard 0) only. */
const GLOBAL_TABLES = ['external_snapshots', 'users', 'businesses', 'business_shards'];

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

const PREFERENCES = JSON.stringify({
  theme: 'system',
  defaultRange: '24h',
  favoriteMetrics: ['revenue', 'orders'],
  version: 1,
});

/** Accounts per API.md: owner@business-<n>.example, viewer<k>@business-<n>.example, then the platform admin. */
function* userRows(businesses: number, viewers: number, hash: string): Generator<(string | number)[]> {
  let id = 0;
  for (let b = 1; b <= businesses; b += 1) {
    yield [(id += 1), b, `owner@business-${b}.example`, hash, `Owner ${b}`, 'owner', PREFERENCES];
    for (let k = 1; k <= viewers; k += 1) {
      yield [
        (id += 1),
        b,
        `viewer${k}@business-${b}.example`,
        hash,
        `Viewer ${k} of business ${b}`,
        'viewer',
        PREFERENCES,
      ];
    }
  }
  // Last, so every business account keeps the id it always had.
  yield [(id += 1), 1, SEED_PLATFORM_ADMIN, hash, 'Platform admin', 'platform_admin', PREFERENCES];
}

/** The shard a seeded business goes to: business_id mod the shard count (documented, so tests and scenarios can predict it). */
export const seedShardOf = (business: number, shards: number): number => business % shards;

/** The global tables on the main database: businesses, accounts, the shard map, external snapshots. */
async function loadGlobal(client: pg.Client, scale: Scale, shards: number, end: Date, seed: number): Promise<number> {
  const names = Array.from({ length: scale.businesses }, (_, i) => [i + 1, `business-${i + 1}`, `Business ${i + 1}`]);
  await copyInto(client, 'businesses', ['id', 'slug', 'name'], lines(names));
  await copyInto(
    client,
    'users',
    ['id', 'business_id', 'email', 'password_hash', 'display_name', 'role', 'preferences'],
    lines(userRows(scale.businesses, scale.viewersPerBusiness, seedPasswordHash(seed))),
  );
  await copyInto(
    client,
    'business_shards',
    ['business_id', 'shard'],
    lines(names.map(([b]) => [b ?? 0, seedShardOf(Number(b), shards)])),
  );
  const rand = prng(seed + 7);
  const snapshots = [3, 2, 1].map((h) => {
    const fetchedAt = new Date(end.getTime() - h * 3_600_000).toISOString();
    const rates = {
      EUR: 0.9 + rand() * 0.05,
      GBP: 0.78 + rand() * 0.04,
      JPY: 148 + rand() * 5,
      CHF: 0.88 + rand() * 0.03,
    };
    return ['rates', fetchedAt, JSON.stringify({ base: 'USD', asOf: fetchedAt, rates })];
  });
  await copyInto(client, 'external_snapshots', ['source', 'fetched_at', 'payload'], lines(snapshots));
  for (const t of ['businesses', 'users', 'external_snapshots']) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT max(id) FROM ${t}), 1))`);
  }
  return scale.businesses * (1 + scale.viewersPerBusiness) + 1;
}

/** One shard's part: the per-business rows of the businesses mapped to it. */
interface ShardLoad {
  url: string;
  businesses: number[];
}

/** Loads one shard's per-business tables (definitions, points, rollups, recent writes), two COPY streams at once. */
async function loadShard(load: ShardLoad, scale: Scale, tl: Timeline, seed: number): Promise<void> {
  const [main, second] = await Promise.all([connect(load.url), connect(load.url)]);
  try {
    await main.query(`TRUNCATE ${SHARD_TABLES.join(', ')} RESTART IDENTITY`);
    const first = new Date(tl.times[0] ?? Date.now());
    const end = new Date(tl.times[tl.times.length - 1] ?? Date.now());
    await main.query("SELECT ensure_metric_partitions($1, $2::timestamptz + interval '7 days')", [first, end]);
    const defs = load.businesses.flatMap((b) => METRICS.map((m) => [b, m.metric, m.label, m.unit]));
    await copyInto(main, 'metric_definitions', ['business_id', 'metric', 'label', 'unit'], lines(defs));
    // Points and rollups stream on two connections at once: both cores busy.
    await Promise.all([
      copyInto(main, 'metric_points', ['business_id', 'metric', 'ts', 'value'], pointRows(seed, load.businesses, tl)),
      copyInto(
        second,
        'metric_rollups_hourly',
        ['business_id', 'metric', 'bucket', 'count', 'sum', 'min', 'max'],
        rollupRows(seed, load.businesses, tl),
      ),
    ]);
    const writes = load.businesses.flatMap((b) => {
      const owner = (b - 1) * (1 + scale.viewersPerBusiness) + 1;
      return [0, 1, 2].map((w) => [b, owner, 8 * (1 + w), new Date(end.getTime() - (w + 1) * 600_000).toISOString()]);
    });
    await copyInto(main, 'metric_writes', ['business_id', 'user_id', 'points', 'written_at'], lines(writes));
    await main.query(
      "SELECT setval(pg_get_serial_sequence('metric_writes', 'id'), GREATEST((SELECT max(id) FROM metric_writes), 1))",
    );
    await Promise.all([
      main.query('VACUUM (ANALYZE) metric_points'),
      second.query(`VACUUM (ANALYZE) ${SHARD_TABLES.filter((t) => t !== 'metric_points').join(', ')}`),
    ]);
  } finally {
    await Promise.all([main.end(), second.end()]);
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function countRollups(urls: string[]): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const client = await connect(url);
    try {
      total +=
        (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_rollups_hourly')).rows[0]?.n ?? 0;
    } finally {
      await client.end();
    }
  }
  return total;
}

/**
 * Replaces the database's data with a deterministic data set of the given
 * scale. With extra shards, business n goes to shard n mod N (shard 0 = `url`)
 * and the shard map says so; migrations are applied to every shard first.
 */
export async function seedDatabase(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? ((): void => undefined);
  const seed = options.seed ?? 42;
  const scale = SCALES[options.scale];
  const started = Date.now();
  const shardUrls = [options.url, ...(options.shardUrls ?? [])];
  for (const url of shardUrls) await migrate(url, { log });
  const tl = timeline(scale, options.now ?? new Date());
  const end = new Date(tl.times[tl.times.length - 1] ?? Date.now());
  const main = await connect(options.url);
  let users: number;
  try {
    await main.query(`TRUNCATE ${[...SHARD_TABLES, ...GLOBAL_TABLES].join(', ')} RESTART IDENTITY CASCADE`);
    users = await loadGlobal(main, scale, shardUrls.length, end, seed);
    await main.query('ANALYZE businesses, users, business_shards, external_snapshots');
  } finally {
    await main.end();
  }
  const points = scale.businesses * METRICS.length * tl.times.length;
  log(
    `loading ${points.toLocaleString('en')} metric points (${options.scale}, seed ${seed}${shardUrls.length > 1 ? `, ${shardUrls.length} shards` : ''})…`,
  );
  const loadStart = Date.now();
  const loads: ShardLoad[] = shardUrls.map((url, shard) => ({
    url,
    businesses: Array.from({ length: scale.businesses }, (_, i) => i + 1).filter(
      (b) => seedShardOf(b, shardUrls.length) === shard,
    ),
  }));
  await Promise.all(loads.map((l) => loadShard(l, scale, tl, seed)));
  const loadSeconds = (Date.now() - loadStart) / 1000;
  log(`loaded in ${loadSeconds.toFixed(1)} s (${Math.round(points / loadSeconds).toLocaleString('en')} rows/s)`);
  const rollups = await countRollups(shardUrls);
  if (options.replicaUrl) {
    await waitForReplay(options.url, options.replicaUrl, 300_000);
    log('replica caught up');
  }
  const seconds = (Date.now() - started) / 1000;
  const result = {
    scale: options.scale,
    seed,
    businesses: scale.businesses,
    users,
    points,
    rollups,
    seconds,
    pointsPerSecond: Math.round(points / loadSeconds),
  };
  log(
    `seeded ${points.toLocaleString('en')} points, ${rollups.toLocaleString('en')} rollups, ${users} users in ${seconds.toFixed(1)} s`,
  );
  return result;
}
