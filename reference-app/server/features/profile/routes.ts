import { Router } from 'express';
import { auth } from '../../sessions/auth-middleware.ts';
import { parse } from '../../http/validate.ts';
import { sendCached, sendJson } from '../../http/send.ts';
import type { ProfileService } from './service.ts';
import { profilePatchSchema } from './service.ts';

export function profileRoutes(service: ProfileService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    sendCached(req, res, await service.profile(auth(res).userId));
  });
  r.patch('/', async (req, res) => {
    const patch = parse(profilePatchSchema, req.body);
    const s = auth(res);
    sendJson(res, 200, await service.update(s.userId, patch), 'primary');
  });
  return r;
}
