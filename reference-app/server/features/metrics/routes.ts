import { Router } from 'express';
import { auth } from '../../sessions/auth-middleware.ts';
import { parse } from '../../http/validate.ts';
import { sendCached, sendJson } from '../../http/send.ts';
import type { MetricsService } from './service.ts';
import { ingestSchema, metricNameSchema, seriesQuerySchema } from './service.ts';

export function metricsRoutes(service: MetricsService): Router {
  const r = Router();
  r.get('/:metric/series', async (req, res) => {
    const metric = metricNameSchema.safeParse(req.params['metric']);
    if (!metric.success) {
      res.setHeader('X-Served-By', 'none');
      res.status(404).json({ error: { code: 'UNKNOWN_METRIC', message: 'no such metric' } });
      return;
    }
    const q = parse(seriesQuerySchema, req.query);
    const s = auth(res);
    sendCached(req, res, await service.series(s.userId, s.businessId, metric.data, q));
  });
  r.post('/ingest', async (req, res) => {
    const body = parse(ingestSchema, req.body);
    const s = auth(res);
    sendJson(res, 202, await service.ingest(s.userId, s.businessId, body), 'primary');
  });
  return r;
}
