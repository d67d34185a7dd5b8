import express, { Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../../http/errors.ts';
import { parse } from '../../http/validate.ts';
import type { RumStore } from '../../metrics/rum-store.ts';

const beaconSchema = z.object({
  page: z.string().max(512),
  metrics: z
    .array(
      z.object({
        name: z.enum(['LCP', 'FCP', 'CLS', 'INP', 'TTFB', 'loadTime', 'renderTime']),
        value: z.number().finite().min(0).max(600_000),
      }),
    )
    .max(200),
});

/** Beacons from navigator.sendBeacon arrive as text/plain; both that and JSON are accepted. */
export function rumRoutes(store: RumStore): Router {
  const r = Router();
  r.post('/', express.text({ type: ['text/plain', 'application/json'], limit: '16kb' }), async (req, res) => {
    let body: unknown;
    try {
      body = typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
    } catch {
      throw new HttpError(400, 'INVALID_JSON', 'the beacon body is not JSON');
    }
    const beacon = parse(beaconSchema, body);
    const at = Date.now();
    await store.add(beacon.metrics.map((m) => ({ name: m.name, value: m.value, at })));
    res.setHeader('X-Served-By', 'none');
    res.status(204).end();
  });
  return r;
}
