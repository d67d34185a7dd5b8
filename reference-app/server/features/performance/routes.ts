import { Router } from 'express';
import type { ScalingStatus } from '../../scaling/status.ts';
import type { PerformanceAccess } from './access.ts';
import { isOperator } from './access.ts';
import type { PerformanceService } from './service.ts';
import { HttpError } from '../../http/errors.ts';

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
  // Operators only: a load test starts the window afresh before its first scenario.
  r.post('/reset', async (req, res) => {
    if (!(await isOperator(req, access)))
      throw new HttpError(403, 'FORBIDDEN', 'only an operator may reset the window');
    await service.resetWindow();
    res.status(204).end();
  });
  return r;
}
