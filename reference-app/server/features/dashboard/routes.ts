import { Router } from 'express';
import { auth } from '../../sessions/auth-middleware.ts';
import { sendCached } from '../../http/send.ts';
import type { DashboardService } from './service.ts';

export function dashboardRoutes(service: DashboardService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const s = auth(res);
    sendCached(req, res, await service.dashboard(s.userId, s.businessId));
  });
  return r;
}
