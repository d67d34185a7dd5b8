import { Router } from 'express';
import type { RequestHandler } from 'express';
import { traced } from '../../db/trace.ts';
import { parse } from '../../http/validate.ts';
import { sendCached, sendJson } from '../../http/send.ts';
import { auth, readCookie, SESSION_COOKIE } from '../../sessions/auth-middleware.ts';
import type { ProfileService } from '../profile/service.ts';
import type { AuthService } from './service.ts';
import { loginSchema } from './service.ts';

export function authRoutes(
  service: AuthService,
  profile: ProfileService,
  requireSession: RequestHandler,
  cookie: { secure: boolean; maxAgeS: number },
): Router {
  const r = Router();
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: cookie.secure };
  r.post('/login', async (req, res) => {
    const { email, password } = parse(loginSchema, req.body);
    const { value, servedBy } = await traced(() => service.login(email, password, req.ip ?? 'unknown'));
    res.cookie(SESSION_COOKIE, value.sid, { ...cookieOptions, maxAge: cookie.maxAgeS * 1000 });
    sendJson(res, 200, { user: value.user }, servedBy);
  });
  r.post('/logout', async (req, res) => {
    const sid = readCookie(req, SESSION_COOKIE);
    if (sid) await service.logout(sid);
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.setHeader('X-Served-By', 'none');
    res.status(204).end();
  });
  r.get('/me', requireSession, async (req, res) => {
    sendCached(req, res, await profile.me(auth(res).userId));
  });
  return r;
}
