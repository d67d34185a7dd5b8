import { Router } from 'express';
import type { ExternalService } from './service.ts';

export function externalRoutes(service: ExternalService): Router {
  const r = Router();
  r.get('/rates', async (req, res) => {
    const a = await service.rates();
    res.setHeader('X-Cache', a.status);
    res.setHeader('X-Served-By', a.servedBy);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.json(a.body);
  });
  return r;
}
