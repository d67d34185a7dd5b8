import { Router } from 'express';

/**
 * Test-only (DEBUG_BURN_ROUTE=true): GET /api/debug/burn?ms=N keeps the CPU busy
 * for N ms (at most 200) before answering, so tests can drive the auto-scaling
 * supervisor with a known load without touching the database.
 */
export function burnRoutes(): Router {
  const r = Router();
  r.get('/api/debug/burn', (req, res) => {
    const ms = Math.min(200, Math.max(0, Number(req.query['ms'] ?? 20) || 0));
    const until = performance.now() + ms;
    let spins = 0;
    while (performance.now() < until) spins += 1;
    res.setHeader('Cache-Control', 'no-store');
    res.json({ burnedMs: ms, spins, pid: process.pid });
  });
  return r;
}
