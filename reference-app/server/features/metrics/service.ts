import { z } from 'zod';
import type { CacheResult, ResponseCache } from '../../cache/response-cache.ts';
import type { Invalidation } from '../../cache/invalidation.ts';
import { scopes } from '../../cache/keys.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import type { Bucket, MetricsRepository } from './repository.ts';

const HOUR = 3_600_000;
/** Longest range per bucket, so one request reads a bounded number of rows. */
const MAX_RANGE_MS: Record<Bucket, number> = { '5m': 7 * 24 * HOUR, '1h': 92 * 24 * HOUR, '1d': 3 * 366 * 24 * HOUR };

/**
 * The largest magnitude a point may have (reference-app/API.md). Far above any
 * business figure, exact for integers (below 2^53), and far enough below the
 * float8 limit (~1.8e308) that no sum of points in a rollup can overflow.
 */
export const MAX_ABS_VALUE = 1e15;

export const metricNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'a metric name is lower_snake_case, at most 64 characters');

export const seriesQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  bucket: z.enum(['5m', '1h', '1d']).default('1h'),
});

export const ingestSchema = z.strictObject({
  points: z
    .array(
      z.strictObject({
        metric: metricNameSchema,
        ts: z.iso.datetime({ offset: true }).refine((t) => {
          const ms = Date.parse(t);
          return ms >= Date.UTC(2000, 0, 1) && ms <= Date.now() + 24 * HOUR;
        }, 'a timestamp between 2000-01-01 and a day from now'),
        value: z
          .number()
          .finite()
          .min(-MAX_ABS_VALUE, 'a value between -1e15 and 1e15')
          .max(MAX_ABS_VALUE, 'a value between -1e15 and 1e15'),
      }),
    )
    .min(1)
    .max(1000),
});

export class MetricsService {
  constructor(
    private readonly repo: MetricsRepository,
    private readonly cache: ResponseCache,
    private readonly invalidation: Invalidation,
  ) {}

  series(
    userId: number,
    businessId: number,
    metric: string,
    q: z.infer<typeof seriesQuerySchema>,
  ): Promise<CacheResult> {
    const to = q.to ? new Date(q.to) : new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * HOUR);
    const span = to.getTime() - from.getTime();
    if (span <= 0)
      throw new HttpError(400, 'VALIDATION_FAILED', 'from must be before to', {
        details: [{ path: 'from', message: 'must be before to' }],
      });
    if (span > MAX_RANGE_MS[q.bucket]) {
      throw new HttpError(400, 'VALIDATION_FAILED', `range too long for bucket ${q.bucket}`, {
        details: [{ path: 'bucket', message: 'use a larger bucket or a shorter range' }],
      });
    }
    const name = `series:${metric}:${from.toISOString()}:${to.toISOString()}:${q.bucket}`;
    return this.cache.get(scopes.metrics(businessId), name, async () => {
      const scope = { userId, businessId };
      const def = await this.repo.definition(scope, businessId, metric);
      if (!def) throw notFound('UNKNOWN_METRIC', `no metric named ${metric}`);
      const rows = await this.repo.series(scope, businessId, metric, from, to, q.bucket);
      return {
        metric,
        label: def.label,
        unit: def.unit,
        from: from.toISOString(),
        to: to.toISOString(),
        bucket: q.bucket,
        points: rows.map((r) => ({ t: r.t.toISOString(), avg: r.avg, min: r.min, max: r.max, count: r.count })),
      };
    });
  }

  async ingest(
    userId: number,
    businessId: number,
    body: z.infer<typeof ingestSchema>,
  ): Promise<{ accepted: number; writeId: number }> {
    const points = body.points.map((p) => ({ metric: p.metric, ts: new Date(p.ts), value: p.value }));
    const r = await this.repo.ingest({ userId, businessId }, businessId, userId, points);
    if ('unknown' in r)
      throw new HttpError(404, 'UNKNOWN_METRIC', `unknown metric(s): ${r.unknown.join(', ')}`, { details: r.unknown });
    await this.invalidation.invalidate(scopes.metrics(businessId));
    return { accepted: points.length, writeId: r.writeId };
  }
}
