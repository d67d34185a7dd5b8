/**
 * One logged-in user per VU. The session id is kept in VU memory and sent as
 * a request cookie (`params.cookies`): k6 empties each VU's cookie jar
 * between iterations (unless `noCookiesReset`), and a login per iteration
 * would turn every scenario into a login benchmark.
 */
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';
import { sleep } from 'k6';
import { BASE_URL, BUSINESSES, VIEWERS } from './config.ts';
import { checkOk, checkThat } from './checks.ts';

/** Every seeded account has this password (see reference-app/API.md). */
export const SEEDED_PASSWORD = 'perfkit-demo';

/** A seeded account and the business it belongs to. */
export interface Account {
  email: string;
  business: number;
  role: 'owner' | 'viewer';
}

/** The `user` object the API returns. */
export interface User {
  id: number;
  email: string;
  displayName: string;
  role: string;
  businessId: number;
  businessName: string;
}

/** What a VU holds after logging in. */
export interface Session {
  sid: string;
  user: User;
  account: Account;
}

let current: Session | null = null;

/**
 * The account for a VU: VUs 1..N are the owners of businesses 1..N, the next
 * N take each business's viewer1, and so on, so VUs spread over businesses and
 * (up to BUSINESSES × (1 + VIEWERS) VUs) never share a user.
 */
export function accountFor(vu: number, businesses: number = BUSINESSES, viewers: number = VIEWERS): Account {
  const index = Math.max(0, vu - 1);
  const business = (index % businesses) + 1;
  const slot = Math.floor(index / businesses) % (viewers + 1);
  if (slot === 0) return { email: `owner@business-${business}.example`, business, role: 'owner' };
  return { email: `viewer${slot}@business-${business}.example`, business, role: 'viewer' };
}

/** The sid cookie a login answer set, from k6's parsed cookies or the raw header. */
function sidFrom(res: RefinedResponse<ResponseType | undefined>): string | null {
  const parsed = res.cookies?.sid?.[0]?.value;
  if (parsed) return parsed;
  const raw = res.headers['Set-Cookie'] ?? '';
  const match = /(?:^|[\s,;])sid=([^;,\s]+)/.exec(raw);
  return match?.[1] ?? null;
}

/** Retry-After in seconds (bounded), for 429 and 503 answers to a login. */
function retryAfter(res: RefinedResponse<ResponseType | undefined>): number {
  const seconds = Number(res.headers['Retry-After'] ?? '1');
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0.2), 5) : 1;
}

/** The session a successful login answer carries, checked (`login: …`); null when it failed. */
function sessionFrom(res: RefinedResponse<ResponseType | undefined>, account: Account): Session | null {
  if (!checkOk(res, 'login')) return null;
  const sid = sidFrom(res);
  const user = (res.json() as unknown as { user?: User } | null)?.user;
  if (!checkThat('login: session cookie and user', sid !== null && user !== undefined, 'login')) return null;
  if (sid === null || user === undefined) return null;
  return { sid, user, account };
}

function loginRequest(account: Account): {
  body: string;
  params: { headers: Record<string, string>; tags: Record<string, string> };
} {
  return {
    body: JSON.stringify({ email: account.email, password: SEEDED_PASSWORD }),
    params: { headers: { 'Content-Type': 'application/json' }, tags: { name: 'login' } },
  };
}

/** Logs an account in (tag `name:login`), retrying a few times on 429/503; null when it cannot. */
export function login(account: Account): Session | null {
  const { body, params } = loginRequest(account);
  let res = http.post(`${BASE_URL}/api/auth/login`, body, params);
  for (let retry = 0; retry < 3 && (res.status === 429 || res.status === 503); retry += 1) {
    sleep(retryAfter(res));
    res = http.post(`${BASE_URL}/api/auth/login`, body, params);
  }
  return sessionFrom(res, account);
}

/** Distinct seeded accounts VUs map to before they start sharing users. */
export function accountCount(): number {
  return BUSINESSES * (VIEWERS + 1);
}

/**
 * Logs in the accounts of VUs 1..count in setup(), a few at a time, so an
 * open-model test measures the API rather than a storm of password hashing
 * when new VUs join. VUs pick theirs up with adoptSession.
 */
export function loginPool(count: number, parallel = 8): Session[] {
  const accounts = Array.from({ length: Math.min(count, accountCount()) }, (_, i) => accountFor(i + 1));
  const pool: Session[] = [];
  for (let i = 0; i < accounts.length; i += parallel) {
    const chunk = accounts.slice(i, i + parallel);
    const responses = http.batch(
      chunk.map((a) => {
        const { body, params } = loginRequest(a);
        return ['POST', `${BASE_URL}/api/auth/login`, body, params] as ['POST', string, string, typeof params];
      }),
    );
    chunk.forEach((a, j) => {
      const res = responses[j];
      const session = res === undefined ? null : sessionFrom(res, a);
      if (session !== null) pool.push(session);
    });
  }
  return pool;
}

/** Takes this VU's session from a setup() pool (the same account accountFor gives it); falls back to logging in. */
export function adoptSession(pool: readonly Session[] | undefined, vu: number = __VU): void {
  if (current !== null || pool === undefined || pool.length === 0) return;
  const mine = accountFor(vu).email;
  current = pool.find((s) => s.account.email === mine) ?? null;
}

/** This VU's session, logging in on first use or after the server dropped it. */
export function ensureSession(vu: number = __VU): Session | null {
  if (current !== null) return current;
  current = login(accountFor(vu));
  // A VU that cannot log in must not spin: every call would retry at once.
  if (current === null) sleep(1);
  return current;
}

/** Forget the session (the server answered 401), so the next call logs in again. */
export function dropSession(): void {
  current = null;
}

/** Remembers a newer copy of the user (after a profile update). */
export function updateSessionUser(user: User): void {
  if (current !== null) current = { ...current, user };
}
