import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { redisReady } from '../cache/redis.ts';

/** /healthz (the process is up), /readyz (PostgreSQL and Redis answer), /metrics (Prometheus). */
export function operationsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, instance: ctx.instanceId });
  });
  r.get('/readyz', async (_req, res) => {
    const [primary, redis] = await Promise.all([
      ctx.db.admin('primary', 'SELECT 1').then(
        () => true,
        () => false,
      ),
      redisReady(ctx.redis)
        ? ctx.redis.ping().then(
            () => true,
            () => false,
          )
        : Promise.resolve(false),
    ]);
    const replica = ctx.db.health ? ctx.db.health.state.healthy : null;
    const ok = primary && redis;
    res.setHeader('Cache-Control', 'no-store');
    const down = [!primary && 'primary', !redis && 'redis', replica === false && 'replica'].filter(Boolean);
    res.status(ok ? 200 : 503).json({ ok, primary, replica, redis, down });
  });
  r.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', ctx.registry.contentType);
    res.send(await ctx.registry.metrics());
  });
  return r;
}
