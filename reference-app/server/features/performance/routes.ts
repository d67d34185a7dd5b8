import { Router } from 'express';
import type { ScalingStatus } from '../../scaling/status.ts';
import type { PerformanceService } from './service.ts';

export function performanceRoutes(service: PerformanceService, scaling?: ScalingStatus): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.setHeader('X-Served-By', 'none');
    res.setHeader('Cache-Control', 'no-store');
    const snapshot = await service.snapshot();
    res.json(scaling?.view ? { ...snapshot, autoscaling: scaling.view } : snapshot);
  });
  return r;
}
