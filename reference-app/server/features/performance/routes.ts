import { Router } from 'express';
import type { ScalingStatus } from '../../scaling/status.ts';
import type { PerformanceAccess } from './access.ts';
import { isOperator } from './access.ts';
import type { PerformanceService } from './service.ts';

/** GET /api/performance: public figures for anyone; SQL text and process ids for operators (access.ts). */
export function performanceRoutes(
  service: PerformanceService,
  access: PerformanceAccess,
  scaling?: ScalingStatus,
): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    res.setHeader('X-Served-By', 'none');
    res.setHeader('Cache-Control', 'no-store');
    const snapshot = await service.snapshot({ operator: await isOperator(req, access) });
    res.json(scaling?.view ? { ...snapshot, autoscaling: scaling.view } : snapshot);
  });
  return r;
}
