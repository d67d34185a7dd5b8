import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { unauthenticated } from '../http/errors.ts';
import type { Session, SessionStore } from './session-store.ts';

export const SESSION_COOKIE = 'sid';

/** The operators of the whole platform (migration 005): the cross-business overview and SQL text are theirs alone. */
export const PLATFORM_ADMIN = 'platform_admin';

/** A cookie value, percent-decoded; undefined when the encoding is malformed (such a cookie names no session). */
export function decodeCookieValue(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.trim());
  } catch {
    return undefined;
  }
}

/** Reads one cookie without a parser dependency. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookieValue(part.slice(eq + 1));
  }
  return undefined;
}

/** The signed-in session of a request that passed `requireSession`. */
export function auth(res: Response): Session & { sid: string } {
  const s = res.locals['auth'] as (Session & { sid: string }) | undefined;
  if (!s) throw unauthenticated();
  return s;
}

/** 401 UNAUTHENTICATED unless the `sid` cookie names a live session. */
export function requireSession(store: SessionStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const sid = readCookie(req, SESSION_COOKIE);
    if (!sid) return next(unauthenticated());
    store.get(sid).then(
      (session) => {
        if (!session) return next(unauthenticated());
        res.locals['auth'] = { ...session, sid };
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
