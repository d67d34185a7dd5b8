import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { Histogram as PromHistogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { WindowedHistogram } from './histogram.ts';

/** Per-instance API timing: a recent window (mergeable across instances) and Prometheus. */
export class RequestStats {
  readonly latency = new WindowedHistogram();
  /** The last one to two seconds, for the auto-scaling supervisor's p95 readings. */
  readonly recent = new WindowedHistogram(1000, 1);
  readonly errors = new WindowedHistogram();
  private readonly prom: PromHistogram<'method' | 'route' | 'status'>;

  constructor(registry: Registry) {
    this.prom = new PromHistogram({
      name: 'app_http_request_duration_seconds',
      help: 'API request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  /** Times one request answered outside Express (the hot path). */
  track(res: ServerResponse, route: string): void {
    const start = performance.now();
    res.once('finish', () => {
      const ms = performance.now() - start;
      this.latency.record(ms);
      this.recent.record(ms);
      this.prom.observe({ method: 'GET', route, status: String(res.statusCode) }, ms / 1000);
    });
  }

  /** Times /api requests only: static files and probes would drown the API's figures. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (!req.path.startsWith('/api/')) return next();
      const start = performance.now();
      res.once('finish', () => {
        const ms = performance.now() - start;
        this.latency.record(ms);
        this.recent.record(ms);
        if (res.statusCode >= 500) this.errors.record(ms);
        const route = (req.route as { path?: string } | undefined)?.path;
        this.prom.observe(
          { method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) },
          ms / 1000,
        );
      });
      next();
    };
  }
}
