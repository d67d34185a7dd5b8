import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HttpError } from '../../http/errors.ts';
import { PLATFORM_ADMIN, readCookie, SESSION_COOKIE } from '../../sessions/auth-middleware.ts';
import type { SessionStore } from '../../sessions/session-store.ts';

/** Who may see the operator view of /api/performance (SQL text, process ids). */
export interface PerformanceAccess {
  /** PERFORMANCE_TOKEN, sent as `Authorization: Bearer …` by the toolkit's sampler. */
  token: string | undefined;
  sessions: SessionStore;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * True for the operator view: the right bearer token, or a platform admin's
 * session. A wrong or unexpected token is a 401 rather than the public view,
 * so a misconfigured sampler is noticed instead of silently losing detail.
 */
export async function isOperator(req: Request, access: PerformanceAccess): Promise<boolean> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const given = /^Bearer (.+)$/.exec(header)?.[1];
    // Equal-length digests: the comparison takes the same time whatever was sent.
    if (access.token && given && timingSafeEqual(digest(given), digest(access.token))) return true;
    throw new HttpError(401, 'UNAUTHENTICATED', 'the performance token is wrong (or this instance has none)');
  }
  const sid = readCookie(req, SESSION_COOKIE);
  if (!sid) return false;
  const session = await access.sessions.get(sid).catch(() => null);
  return session?.role === PLATFORM_ADMIN;
}
