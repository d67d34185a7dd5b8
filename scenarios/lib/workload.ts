/**
 * What a user of the reference app does, as weighted actions, plus the series
 * windows the browser app asks for. Scenarios differ in how many users arrive
 * and when, not in what a user does.
 */
import { sleep } from 'k6';
import {
  getDashboard,
  getExternalRates,
  getMe,
  getProfile,
  getSeries,
  ingest,
  METRICS,
  updateProfileAndReadBack,
} from './api.ts';
import type { CallOptions } from './api.ts';
import { BUSINESSES, VIEWERS } from './config.ts';
import type { Bucket, SeriesQuery } from './types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The ranges the dashboard offers, as the browser app requests them. */
const RANGES: Array<{ span: number; bucket: Bucket }> = [
  { span: 24 * HOUR, bucket: '1h' },
  { span: 7 * 24 * HOUR, bucket: '1h' },
  { span: 30 * 24 * HOUR, bucket: '1d' },
];

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A series request like the browser's: a range ending now, `to` rounded up to the minute (so caches can hit). */
export function browserSeriesQuery(now: number = Date.now()): SeriesQuery {
  const range = pick(RANGES);
  const to = Math.ceil(now / MINUTE) * MINUTE;
  return {
    metric: pick(METRICS),
    from: new Date(to - range.span).toISOString(),
    to: new Date(to).toISOString(),
    bucket: range.bucket,
  };
}

/**
 * A series request nobody has made before: a 24 h window shifted back by `n`
 * hours from `anchor` (pick an anchor per run), so it misses the cache and
 * has to be read from the database.
 */
export function uncachedSeriesQuery(anchor: number, n: number): SeriesQuery {
  const metric = METRICS[n % METRICS.length] ?? 'orders';
  const to = anchor - Math.floor(n / METRICS.length) * HOUR;
  return { metric, from: new Date(to - 24 * HOUR).toISOString(), to: new Date(to).toISOString(), bucket: '1h' };
}

/**
 * A number no other iteration of this business's users uses in this scenario:
 * cache entries are per business, so this is what keeps series windows apart.
 * Users of one business are VUs BUSINESSES apart (see accountFor).
 */
export function uniqueInBusiness(): number {
  const slots = VIEWERS + 1;
  return __ITER * slots + (Math.floor(Math.max(0, __VU - 1) / BUSINESSES) % slots);
}

/** One user action with its weight in the realistic mix. */
export interface Action {
  name: string;
  weight: number;
  run: (opts: CallOptions) => void;
}

/** Mostly dashboard and series reads, some profile reads and updates, metric writes and external data. */
export const REALISTIC_MIX: Action[] = [
  { name: 'dashboard', weight: 40, run: (o) => void getDashboard(o) },
  { name: 'series', weight: 25, run: (o) => void getSeries(browserSeriesQuery(), o) },
  { name: 'profile_get', weight: 10, run: (o) => void getProfile(o) },
  { name: 'profile_update', weight: 5, run: (o) => void updateProfileAndReadBack(o) },
  { name: 'ingest', weight: 8, run: (o) => void ingest(5, o) },
  { name: 'external', weight: 8, run: (o) => void getExternalRates(o) },
  { name: 'me', weight: 4, run: (o) => void getMe(o) },
];

/** Picks an action by weight. */
export function chooseAction(mix: readonly Action[] = REALISTIC_MIX, roll: number = Math.random()): Action {
  const total = mix.reduce((sum, a) => sum + a.weight, 0);
  let left = roll * total;
  for (const action of mix) {
    left -= action.weight;
    if (left < 0) return action;
  }
  const last = mix[mix.length - 1];
  if (last === undefined) throw new Error('empty action mix');
  return last;
}

/** Sleeps `seconds` ± 50 % so VUs do not march in lock step; 0 skips it. */
export function thinkTime(seconds: number): void {
  if (seconds > 0) sleep(seconds * (0.5 + Math.random()));
}

/** One iteration of the realistic mix: `actions` weighted picks, then think time. */
export function mixedIteration(opts: CallOptions, think: number, actions = 1): void {
  for (let i = 0; i < actions; i += 1) chooseAction().run(opts);
  thinkTime(think);
}
