import { Router } from 'express';
import { HttpError } from '../../http/errors.ts';
import { auth, PLATFORM_ADMIN } from '../../sessions/auth-middleware.ts';
import type { AdminService } from './service.ts';

/** Operator routes: platform admins only (a business's owner sees only their business); never cached (they read every shard). */
export function adminRoutes(service: AdminService): Router {
  const r = Router();
  r.get('/overview', async (_req, res) => {
    if (auth(res).role !== PLATFORM_ADMIN)
      throw new HttpError(403, 'FORBIDDEN', 'only a platform admin can see the overview of every business');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await service.overview());
  });
  return r;
}
