import { Router } from 'express';
import type { PerformanceService } from './service.ts';

export function performanceRoutes(service: PerformanceService): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.setHeader('X-Served-By', 'none');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await service.snapshot());
  });
  return r;
}
