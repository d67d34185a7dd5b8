import { Router } from 'express';
import { HttpError } from '../../http/errors.ts';
import { auth } from '../../sessions/auth-middleware.ts';
import type { AdminService } from './service.ts';

/** Operator routes: owners only; never cached (they read every shard). */
export function adminRoutes(service: AdminService): Router {
  const r = Router();
  r.get('/overview', async (_req, res) => {
    if (auth(res).role !== 'owner') throw new HttpError(403, 'FORBIDDEN', 'only an owner can see the overview');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await service.overview());
  });
  return r;
}
