import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { unauthenticated } from '../http/errors.ts';
import type { Session, SessionStore } from './session-store.ts';

export const SESSION_COOKIE = 'sid';

/** Reads one cookie without a parser dependency. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
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
