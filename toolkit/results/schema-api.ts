import { z } from 'zod';
import { databasePointSchema, queryStatSchema } from './schema-database.ts';
import { endpointSeriesSchema, statusPointSchema } from './schema-series.ts';

/** Shared pieces of the result model: latency distributions, counts, checks, thresholds. */

const ms = (description: string) =>
  z
    .number()
    .min(0)
    .meta({ description: `${description} (milliseconds)` });

/** A figure's confidence interval: the bounds, the confidence they reach and how many observations they rest on. */
export const intervalSchema = z
  .strictObject({
    lo: z.number(),
    hi: z.number(),
    confidence: z.number().min(0).max(1),
    n: z.number().int().min(0),
  })
  .meta({ id: 'interval' });

/** A log histogram of latencies (toolkit/stats): bucket i holds values in (gamma^(i-1), gamma^i]. */
export const histogramSchema = z
  .strictObject({
    gamma: z.number().gt(1),
    zero: z.number().int().min(0),
    bins: z.array(z.tuple([z.number().int(), z.number().int().min(1)])),
  })
  .meta({ id: 'histogram', description: 'every request of the run, in 2 % buckets: for intervals and rank tests' });

/** A latency distribution in milliseconds; percentiles come from merged histograms, never averaged. */
export const latencySchema = z
  .strictObject({
    avg: ms('mean latency'),
    min: ms('fastest request'),
    p50: ms('median latency'),
    p90: ms('90th percentile'),
    p95: ms('95th percentile'),
    p99: ms('99th percentile').nullable(),
    max: ms('slowest request'),
    intervals: z
      .partialRecord(z.enum(['p50', 'p90', 'p95', 'p99']), intervalSchema)
      .optional()
      .meta({ description: "95 % order-statistic confidence intervals of the percentiles, from the run's samples" }),
    histogram: histogramSchema.optional(),
  })
  .meta({ id: 'latency', description: 'Latency distribution in milliseconds.' });

/** Figures for one endpoint, grouped by the k6 `name` tag. */
export const endpointSchema = z
  .strictObject({
    name: z.string().min(1).meta({ description: 'the k6 `name` tag (or URL when untagged)' }),
    method: z.string().optional().meta({ description: 'HTTP method when every request shared one' }),
    count: z
      .number()
      .int()
      .min(0)
      .nullable()
      .meta({ description: 'requests made; null when the run did not count them per name' }),
    rps: z.number().min(0).nullable().meta({ description: 'requests per second over the run' }),
    errorRate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'share of failed requests (http_req_failed), 0..1; null when not tracked per name' }),
    latency: latencySchema,
  })
  .meta({ id: 'endpoint' });

/** One k6 check, totalled over the run. */
export const checkSchema = z
  .strictObject({
    name: z.string(),
    path: z.string().meta({ description: 'group path plus name, as k6 prints it (`::group::name`)' }),
    passes: z.number().int().min(0),
    fails: z.number().int().min(0),
  })
  .meta({ id: 'check' });

/** One threshold expression of a scenario and whether it held. */
export const thresholdSchema = z
  .strictObject({
    metric: z
      .string()
      .meta({ description: 'metric with optional tag filter, e.g. `http_req_duration{name:dashboard}`' }),
    expression: z.string().meta({ description: 'threshold source, e.g. `p(95)<300`' }),
    ok: z.boolean(),
    value: z.number().optional().meta({ description: 'the measured aggregate the expression judged (ms for trends)' }),
    limit: z.number().optional().meta({ description: 'the number the expression compares it with' }),
  })
  .meta({ id: 'threshold' });

/** The api part: the seed's {responseTime, throughput, errorRate} plus distributions, endpoints, checks and thresholds. */
export const apiSchema = z
  .strictObject({
    responseTime: ms('mean response time of all requests').nullable(),
    throughput: z.number().min(0).nullable().meta({ description: 'requests per second over the run' }),
    errorRate: z.number().min(0).max(1).nullable().meta({ description: 'share of failed requests, 0..1' }),
    requests: z.number().int().min(0).meta({ description: 'requests made' }),
    durationMs: z.number().min(0).meta({ description: 'test run duration' }),
    latency: latencySchema.nullable(),
    endpoints: z.array(endpointSchema),
    checks: z.array(checkSchema),
    thresholds: z.array(thresholdSchema),
    iterations: z.number().int().min(0).optional(),
    dataReceivedBytes: z.number().min(0).optional(),
    dataSentBytes: z.number().min(0).optional(),
    vusMax: z.number().int().min(0).optional(),
    endpointSeries: z.array(endpointSeriesSchema).optional().meta({ description: 'p95 per second, top endpoints' }),
    statusSeries: z.array(statusPointSchema).optional(),
  })
  .meta({ id: 'api', description: 'HTTP load results: the seed PerformanceMetrics.api extended.' });

/** One statement that ran slowly, as pg_stat_statements reports it. */
export const slowQuerySchema = z.strictObject({
  query: z.string(),
  calls: z.number().int().min(0),
  meanMs: z.number().min(0),
  maxMs: z.number().min(0).optional(),
});

/** The database part: the seed's {queryTime, connectionCount, slowQueries} plus detail. */
export const databaseSchema = z
  .strictObject({
    queryTime: ms('mean query time').nullable(),
    connectionCount: z
      .number()
      .int()
      .min(0)
      .nullable()
      .meta({ description: 'open connections (peak during the run when sampled)' }),
    slowQueries: z.array(z.string()).meta({ description: 'statements slower than the slow-query threshold' }),
    slowQueryDetails: z.array(slowQuerySchema).optional(),
    queryTimeP95: ms('95th percentile query time').nullable().optional(),
    replicaLagMs: ms('replica replay lag').nullable().optional(),
    replicaLagBytes: z.number().min(0).nullable().optional().meta({ description: 'largest replica lag sampled' }),
    queries: z
      .array(queryStatSchema)
      .optional()
      .meta({ description: 'top statements by total time in the run window' }),
    series: z.array(databasePointSchema).optional(),
  })
  .meta({ id: 'database' });

/** Cache figures: hit ratio plus the counts behind it, optionally per cache kind. */
export const cacheSchema = z
  .strictObject({
    hitRatio: z.number().min(0).max(1).nullable().meta({ description: 'hits / (hits + misses), 0..1' }),
    hits: z.number().int().min(0).optional(),
    misses: z.number().int().min(0).optional(),
    stale: z.number().int().min(0).optional(),
    byKind: z
      .record(
        z.string(),
        z.strictObject({
          hits: z.number().int().min(0),
          misses: z.number().int().min(0),
          hitRatio: z.number().min(0).max(1).nullable(),
        }),
      )
      .optional()
      .meta({ description: 'per cache kind (metrics, userData, externalAPIs)' }),
  })
  .meta({ id: 'cache' });
