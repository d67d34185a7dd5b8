/**
 * Settings every scenario reads from `__ENV`, so tests and the `--ci` profile
 * can shorten runs without editing scripts. Defaults suit a 2-core machine.
 */

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];

/** The app under test; the reference app listens here when started with `npm run app`. */
export const BASE_URL: string = stripSlash(__ENV.BASE_URL || 'http://127.0.0.1:3000');

/** How many seeded businesses to spread VUs over (`npm run seed` makes `business-1..N`). */
export const BUSINESSES: number = envInt('BUSINESSES', 10);

/** Seeded viewers per business besides the owner; VUs beyond owners use them. */
export const VIEWERS: number = envInt('VIEWERS', 2);

/** Multiplies every latency threshold: >1 on slow or shared machines, never to hide a regression in CI budgets. */
export const LATENCY_SCALE: number = envFloat('LATENCY_SCALE', 1);

function stripSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** An integer from `__ENV[name]`, or the default when unset; a malformed value stops the script at init. */
export function envInt(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`__ENV.${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** A number from `__ENV[name]`, or the default when unset. */
export function envFloat(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`__ENV.${name} must be a non-negative number, got "${raw}"`);
  return n;
}

/** A k6 duration string (`30s`, `2m`, `1m30s`) from `__ENV[name]`, or the default. */
export function envDuration(name: string, fallback: string): string {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  durationSeconds(raw); // validates
  return raw;
}

/** Seconds in a k6 duration string such as `1m30s`, `500ms` or `2h`. */
export function durationSeconds(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const unit = m[2];
    const factor = unit === 'ms' ? 0.001 : unit === 's' ? 1 : unit === 'm' ? 60 : 3600;
    total += Number(m[1]) * factor;
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0)
    throw new Error(`"${text}" is not a k6 duration (e.g. 30s, 2m, 1m30s)`);
  return total;
}

/** A latency threshold in ms, scaled by `__ENV.LATENCY_SCALE`. */
export function ms(value: number): number {
  return Math.round(value * LATENCY_SCALE);
}

/**
 * Load goes to loopback only unless `__ENV.ALLOW_REMOTE=1`: a mistyped
 * BASE_URL must not point a stress test at someone else's server.
 */
export function assertLoopback(url: string = BASE_URL): void {
  if (__ENV.ALLOW_REMOTE === '1') return;
  const match = /^https?:\/\/(\[[^\]]+\]|[^/:]+)/.exec(url);
  const host = match?.[1] ?? '';
  if (!LOOPBACK_HOSTS.includes(host)) {
    throw new Error(`BASE_URL ${url} is not a loopback address; set ALLOW_REMOTE=1 to load a remote target you own`);
  }
}
