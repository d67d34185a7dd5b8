import { z } from 'zod';
import { ToolkitError } from '../errors.ts';
import type { CacheResults, DatabaseResults, FrontendResults } from './schema.ts';

const num = z.number().finite().nullable().optional();
/** Per-kind counts, as { hits, misses } or as the reference app's X-Cache outcomes { HIT, MISS, STALE } (stale answers count as hits). */
const counts = z.union([
  z.looseObject({ hits: z.number().int().min(0), misses: z.number().int().min(0) }),
  z
    .looseObject({
      HIT: z.number().int().min(0),
      MISS: z.number().int().min(0),
      STALE: z.number().int().min(0).optional(),
    })
    .transform((c) => ({ hits: c.HIT + (c.STALE ?? 0), misses: c.MISS, stale: c.STALE ?? 0 })),
]);

/** What GET /api/performance returns: the seed's PerformanceMetrics plus cache and instances; extra keys are ignored. */
const snapshotSchema = z.looseObject({
  database: z.looseObject({
    queryTime: num,
    connectionCount: num,
    slowQueries: z.array(
      z.union([
        z.string(),
        z.looseObject({
          query: z.string(),
          calls: z.number().optional(),
          meanMs: z.number().optional(),
          maxMs: z.number().optional(),
        }),
      ]),
    ),
    queryTimeP95: num,
    replicaLagMs: num,
  }),
  frontend: z.looseObject({ loadTime: num, renderTime: num, bundleSize: num }).optional(),
  cache: z
    .looseObject({
      hitRatio: num,
      hits: z.number().int().min(0).optional(),
      misses: z.number().int().min(0).optional(),
      stale: z.number().int().min(0).optional(),
      byKind: z.record(z.string(), counts).optional(),
    })
    .optional(),
});

const ratio = (hits: number, misses: number): number | null => (hits + misses > 0 ? hits / (hits + misses) : null);

function cachePart(cache: z.infer<typeof snapshotSchema>['cache']): CacheResults | undefined {
  if (!cache) return undefined;
  const out: CacheResults = {
    hitRatio:
      cache.hitRatio ??
      (cache.hits !== undefined && cache.misses !== undefined ? ratio(cache.hits, cache.misses) : null),
  };
  if (cache.hits !== undefined) out.hits = cache.hits;
  if (cache.misses !== undefined) out.misses = cache.misses;
  if (cache.stale !== undefined) out.stale = cache.stale;
  if (cache.byKind && cache.hits === undefined) {
    const kinds = Object.values(cache.byKind);
    out.hits = kinds.reduce((n, c) => n + c.hits, 0);
    out.misses = kinds.reduce((n, c) => n + c.misses, 0);
  }
  if (cache.byKind) {
    out.byKind = Object.fromEntries(
      Object.entries(cache.byKind).map(([kind, c]) => [
        kind,
        { hits: c.hits, misses: c.misses, hitRatio: ratio(c.hits, c.misses) },
      ]),
    );
  }
  return out;
}

function databasePart(db: z.infer<typeof snapshotSchema>['database']): DatabaseResults {
  const details = db.slowQueries.filter((q) => typeof q !== 'string');
  const out: DatabaseResults = {
    queryTime: db.queryTime ?? null,
    connectionCount: db.connectionCount == null ? null : Math.round(db.connectionCount),
    slowQueries: db.slowQueries.map((q) => (typeof q === 'string' ? q : q.query)),
  };
  if (details.length > 0) {
    out.slowQueryDetails = details.map((q) => ({
      query: q.query,
      calls: q.calls ?? 0,
      meanMs: q.meanMs ?? 0,
      ...(q.maxMs === undefined ? {} : { maxMs: q.maxMs }),
    }));
  }
  if (db.queryTimeP95 !== undefined) out.queryTimeP95 = db.queryTimeP95;
  if (db.replicaLagMs !== undefined) out.replicaLagMs = db.replicaLagMs;
  return out;
}

/**
 * Converts a GET /api/performance snapshot into the database, frontend and
 * cache parts. Lighthouse and browser samples are filled in by later steps.
 */
export function fromPerformanceSnapshot(
  json: unknown,
  source = 'GET /api/performance',
): { database: DatabaseResults; frontend: FrontendResults; cache?: CacheResults } {
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const pointer = issue ? '/' + issue.path.map(String).join('/') : '';
    throw new ToolkitError('RESULTS_INVALID', `${source}#${pointer}: ${issue?.message ?? 'unexpected shape'}`, {
      fix: 'the app must return the PerformanceMetrics shape ({database, api, frontend}) from /api/performance',
    });
  }
  const s = parsed.data;
  const frontend: FrontendResults = {
    loadTime: s.frontend?.loadTime ?? null,
    renderTime: s.frontend?.renderTime ?? null,
    bundleSize: s.frontend?.bundleSize ?? null,
    lighthouse: [],
    browserSamples: [],
  };
  const cache = cachePart(s.cache);
  return { database: databasePart(s.database), frontend, ...(cache ? { cache } : {}) };
}
