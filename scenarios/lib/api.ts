/**
 * Typed calls to the reference app's API (reference-app/API.md). Each call
 * carries a stable `name` tag, goes through `checkOk`, and feeds the cache and
 * replica metrics, so scenarios only choose what to call and how often.
 */
import http from 'k6/http';
import type { Params, RefinedResponse, ResponseType } from 'k6/http';
import { BASE_URL } from './config.ts';
import { checkOk, checkThat } from './checks.ts';
import { ingestedPoints, readYourWritesOk, recordCache, recordDbRead } from './metrics.ts';
import { dropSession, ensureSession, updateSessionUser } from './session.ts';
import type { Session, User } from './session.ts';
import type { Dashboard, Preferences, Profile, Rates, Series, SeriesQuery } from './types.ts';

type AnyResponse = RefinedResponse<ResponseType | undefined>;
type Tags = Record<string, string>;

/** What an endpoint call gives back: the raw response and, when it parsed, the typed body. */
export interface Call<T> {
  res: AnyResponse;
  body: T | null;
  ok: boolean;
}

/** Options shared by every call: extra tags (e.g. `phase`) and whether this read follows the VU's own write. */
export interface CallOptions {
  tags?: Tags;
  afterWrite?: boolean;
}

/** The metric names every seeded business tracks. */
export const METRICS = [
  'revenue',
  'orders',
  'active_users',
  'conversion_rate',
  'avg_order_value',
  'page_views',
  'signups',
  'churn_rate',
] as const;
export type MetricName = (typeof METRICS)[number];

function parse<T>(res: AnyResponse): T | null {
  if (typeof res.body !== 'string' || res.body.length === 0) return null;
  try {
    return JSON.parse(res.body) as T;
  } catch {
    return null;
  }
}

/** The session rides as a request-scoped cookie that replaces whatever the VU's jar holds for `sid`. */
function authParams(session: Session, tags: Tags, json: boolean): Params {
  return {
    headers: json ? { 'Content-Type': 'application/json' } : {},
    cookies: { sid: { value: session.sid, replace: true } },
    tags,
  };
}

/** Runs one authenticated request; null when this VU could not log in (the login's checks failed). */
function send<T>(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  name: string,
  payload: unknown,
  opts: CallOptions,
): Call<T> | null {
  const session = ensureSession();
  const tags: Tags = { ...opts.tags, name };
  if (session === null) return null;
  const body = payload === undefined ? null : JSON.stringify(payload);
  const res = http.request(method, `${BASE_URL}${path}`, body, authParams(session, tags, body !== null));
  if (res.status === 401) dropSession();
  const ok = checkOk(res, name);
  return { res, body: ok ? parse<T>(res) : null, ok };
}

/** A cacheable read: also feeds cache_hits and, unless it follows a write, served_by_replica. */
function read<T>(path: string, name: string, opts: CallOptions): Call<T> | null {
  const call = send<T>('GET', path, name, undefined, opts);
  if (call === null) return null;
  const tags: Tags = { ...opts.tags, name };
  recordCache(call.res, tags);
  if (!opts.afterWrite) recordDbRead(call.res, tags);
  return call;
}

/** GET /api/dashboard (tag `dashboard`). */
export function getDashboard(opts: CallOptions = {}): Call<Dashboard> | null {
  const call = read<Dashboard>('/api/dashboard', 'dashboard', opts);
  if (call?.ok) checkThat('dashboard: has metrics', (call.body?.metrics.length ?? 0) > 0, 'dashboard');
  return call;
}

/** GET /api/metrics/:metric/series (tag `series`). */
export function getSeries(q: SeriesQuery, opts: CallOptions = {}): Call<Series> | null {
  const query = `from=${encodeURIComponent(q.from)}&to=${encodeURIComponent(q.to)}&bucket=${q.bucket}`;
  const call = read<Series>(`/api/metrics/${q.metric}/series?${query}`, 'series', opts);
  if (call?.ok) checkThat('series: has points array', Array.isArray(call.body?.points), 'series');
  return call;
}

/** GET /api/profile (tag `profile_get`). */
export function getProfile(opts: CallOptions = {}): Call<Profile> | null {
  return read<Profile>('/api/profile', 'profile_get', opts);
}

/** GET /api/external/rates (tag `external`). */
export function getExternalRates(opts: CallOptions = {}): Call<Rates> | null {
  return read<Rates>('/api/external/rates', 'external', opts);
}

/** GET /api/auth/me (tag `me`). */
export function getMe(opts: CallOptions = {}): Call<{ user: User }> | null {
  return send<{ user: User }>('GET', '/api/auth/me', 'me', undefined, opts);
}

/** A plausible value for a metric, so ingested points look like the seed's. */
function sampleValue(metric: MetricName): number {
  if (metric === 'conversion_rate' || metric === 'churn_rate') return Math.round(Math.random() * 1000) / 10000;
  if (metric === 'revenue' || metric === 'avg_order_value') return Math.round(Math.random() * 100000) / 100;
  return Math.floor(Math.random() * 500);
}

/** POST /api/metrics/ingest with `count` fresh points (tag `ingest`). */
export function ingest(count = 5, opts: CallOptions = {}): Call<{ accepted: number; writeId: number | string }> | null {
  const now = Date.now();
  const points = Array.from({ length: count }, (_, i) => {
    const metric = METRICS[(__VU + __ITER + i) % METRICS.length] ?? 'orders';
    return { metric, ts: new Date(now - i * 1000).toISOString(), value: sampleValue(metric) };
  });
  const call = send<{ accepted: number; writeId: number | string }>(
    'POST',
    '/api/metrics/ingest',
    'ingest',
    { points },
    opts,
  );
  if (call?.ok) ingestedPoints.add(call.body?.accepted ?? 0, { ...opts.tags, name: 'ingest' });
  return call;
}

/** PATCH /api/profile (tag `profile_update`). */
export function updateProfile(
  change: { displayName?: string; preferences?: Partial<Preferences> },
  opts: CallOptions = {},
): Call<Profile> | null {
  const call = send<Profile>('PATCH', '/api/profile', 'profile_update', change, opts);
  if (call?.body) updateSessionUser(call.body.user);
  return call;
}

/**
 * Updates the display name to a fresh value, then reads the profile back and
 * records read_your_writes_ok: the read must see the write (replica lag and
 * stale cache entries are exactly what this catches).
 */
export function updateProfileAndReadBack(opts: CallOptions = {}): boolean {
  const displayName = `Load VU${__VU} it${__ITER} ${Date.now() % 100000}`;
  const write = updateProfile({ displayName }, opts);
  if (write === null || !write.ok) return false;
  const back = getProfile({ ...opts, afterWrite: true });
  const seen = back?.body?.user.displayName === displayName;
  readYourWritesOk.add(seen, { ...opts.tags, name: 'profile_get' });
  checkThat('profile_get: reads own write', seen, 'profile_get');
  return seen;
}
