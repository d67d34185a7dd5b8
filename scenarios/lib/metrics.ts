/**
 * Custom metrics that measure the rules of the performance architecture from
 * the headers the reference app sets: X-Cache (HIT|MISS|STALE) on cacheable
 * reads and X-Served-By (primary|replica|cache|none) on every API answer.
 */
import { Counter, Rate } from 'k6/metrics';
import type { RefinedResponse, ResponseType } from 'k6/http';

/** Share of cacheable reads answered from cache (X-Cache HIT or STALE), tagged by endpoint `name`. */
export const cacheHits = new Rate('cache_hits');
/** Share of reads that reached the database and were answered by the replica (X-Served-By). */
export const servedByReplica = new Rate('served_by_replica');
/** After a profile update, did the next profile read return the new value? */
export const readYourWritesOk = new Rate('read_your_writes_ok');
/** Share of external-rates answers served stale (X-Cache STALE: upstream down, old data kept). */
export const staleServed = new Rate('stale_served');
/** Metric points accepted by ingest. */
export const ingestedPoints = new Counter('ingested_points');

type AnyResponse = RefinedResponse<ResponseType | undefined>;
type Tags = Record<string, string>;

/** A response header by name, tolerant of the runner's capitalisation. */
export function header(res: AnyResponse, name: string): string | undefined {
  const direct = res.headers[name];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const key of Object.keys(res.headers)) {
    if (key.toLowerCase() === lower) return res.headers[key];
  }
  return undefined;
}

/** Records cache_hits (and stale_served for external data) when the answer says how the cache did. */
export function recordCache(res: AnyResponse, tags: Tags): void {
  const state = header(res, 'X-Cache')?.toUpperCase();
  if (state !== 'HIT' && state !== 'MISS' && state !== 'STALE') return;
  cacheHits.add(state === 'HIT' || state === 'STALE', tags);
  if (tags.name === 'external') staleServed.add(state === 'STALE', tags);
}

/**
 * Records served_by_replica for answers that came from the database. Callers
 * skip reads that follow the VU's own write: those belong on the primary.
 */
export function recordDbRead(res: AnyResponse, tags: Tags): void {
  const by = header(res, 'X-Served-By')?.toLowerCase();
  if (by !== 'primary' && by !== 'replica') return;
  servedByReplica.add(by === 'replica', tags);
}
