import { z } from 'zod';
import { apiSchema, cacheSchema, databaseSchema } from './schema-api.ts';
import { bundleSchema, frontendSchema } from './schema-frontend.ts';
import { comparisonSchema } from './schema-comparison.ts';
import { scalingSchema } from './schema-scaling.ts';
import { interruptionSchema, runIdentitySchema, runStatusSchema } from './identity.ts';
import type { databasePointSchema, queryStatSchema } from './schema-database.ts';
import type { endpointSeriesSchema, statusPointSchema } from './schema-series.ts';
import { phaseSchema } from './schema-series.ts';

/** Version of results.json; bumped on any incompatible change of the model. */
export const RESULTS_SCHEMA_VERSION = 1;

/** One second of the run: load, latency, errors and cache behaviour. */
export const timePointSchema = z
  .strictObject({
    t: z.number().min(0).meta({ description: 'seconds since the run started (start of the bucket)' }),
    rps: z.number().min(0),
    p50: z.number().min(0).nullable(),
    p95: z.number().min(0).nullable(),
    p99: z.number().min(0).nullable(),
    vus: z.number().int().min(0),
    errors: z.number().int().min(0).meta({ description: 'failed requests in this second' }),
    cacheHitRatio: z.number().min(0).max(1).nullable().optional(),
  })
  .meta({ id: 'timePoint' });

/** CPU, memory and disk use of one process over time. */
export const processUsageSchema = z
  .strictObject({
    name: z.string().meta({ description: 'e.g. `app#1`, `postgres-primary`, `redis`, `runner`' }),
    role: z.enum(['app', 'database', 'cache', 'runner', 'browser', 'other']),
    pid: z.number().int().optional(),
    samples: z.array(
      z.strictObject({
        t: z.number().min(0).meta({ description: 'seconds since the run started' }),
        cpu: z.number().min(0).meta({ description: 'percent of one core' }),
        rssBytes: z.number().min(0),
        diskReadBytes: z
          .number()
          .min(0)
          .optional()
          .meta({ description: 'bytes read from storage since the last sample' }),
        diskWriteBytes: z
          .number()
          .min(0)
          .optional()
          .meta({ description: 'bytes written to storage since the last sample' }),
        diskBytes: z.number().min(0).optional().meta({ description: "size of the process's data folder (databases)" }),
        usedMemoryBytes: z
          .number()
          .min(0)
          .optional()
          .meta({ description: 'memory the process reports for its data (Redis INFO used_memory)' }),
      }),
    ),
  })
  .meta({ id: 'processUsage' });

/** Who ran what, when, against which target. */
export const metaSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .meta({
        description:
          'run id, also the report folder name: letters, digits, `.`, `_`, `-` (e.g. `2026-11-25T10-00-00Z-default`)',
      }),
    startedAt: z.iso.datetime({ offset: true }),
    endedAt: z.iso.datetime({ offset: true }),
    target: z.string().meta({ description: 'base URL under test' }),
    scenarios: z.array(z.string()),
    engine: z.enum(['builtin', 'k6']),
    engineVersion: z.string().optional().meta({ description: "real k6's version (`k6 version`), e.g. `2.2.0`" }),
    httpTransport: z
      .enum(['vu', 'shared'])
      .optional()
      .meta({ description: "the built-in runner's transport for plain-http requests" }),
    toolVersion: z.string(),
    gitCommit: z.string().nullable(),
    profile: z.string().optional(),
    failedParts: z
      .array(z.strictObject({ part: z.enum(['browserUnderLoad', 'lighthouse', 'bundle']), error: z.string() }))
      .optional()
      .meta({ description: 'parts of the run that failed while the rest went on (the load results are kept)' }),
    config: z.record(z.string(), z.unknown()).meta({ description: 'the resolved run configuration (secrets removed)' }),
    identity: runIdentitySchema
      .optional()
      .meta({ description: 'what a baseline must share with this run to be compared (absent in older results)' }),
    status: runStatusSchema
      .optional()
      .meta({ description: '`interrupted` when a signal stopped the run; absent in older results (complete)' }),
    interruption: interruptionSchema.optional(),
  })
  .meta({ id: 'meta' });

/** The one result model every stage after measurement reads: PerformanceMetrics-shaped and extended. */
export const resultsSchema = z
  .strictObject({
    $schema: z.string().optional(),
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    meta: metaSchema,
    database: databaseSchema.optional(),
    api: apiSchema.optional(),
    frontend: frontendSchema.optional(),
    bundle: bundleSchema.optional(),
    cache: cacheSchema.optional(),
    resources: z.array(processUsageSchema).optional(),
    timeSeries: z.array(timePointSchema).optional(),
    phases: z.array(phaseSchema).optional().meta({ description: 'when each scenario ran' }),
    scaling: scalingSchema.optional(),
    comparison: comparisonSchema.optional(),
  })
  .meta({
    title: 'perfkit results',
    description: "One run's measurements (results.json). Sections that were not measured are absent.",
  });

/** A run's measurements (results.json). */
export type Results = z.infer<typeof resultsSchema>;
/** Run metadata. */
export type RunMeta = z.infer<typeof metaSchema>;
/** HTTP load figures. */
export type ApiResults = z.infer<typeof apiSchema>;
/** One endpoint's figures (by k6 name tag). */
export type EndpointResults = ApiResults['endpoints'][number];
/** A latency distribution in ms. */
export type Latency = NonNullable<ApiResults['latency']>;
/** Database figures. */
export type DatabaseResults = z.infer<typeof databaseSchema>;
/** Frontend figures. */
export type FrontendResults = z.infer<typeof frontendSchema>;
/** One Lighthouse page/preset/mode result. */
export type LighthouseResult = FrontendResults['lighthouse'][number];
/** One browser-under-load sample. */
export type BrowserSample = FrontendResults['browserSamples'][number];
/** Build sizes. */
export type BundleResults = z.infer<typeof bundleSchema>;
/** Cache figures. */
export type CacheResults = z.infer<typeof cacheSchema>;
/** One second of the time series. */
export type TimePoint = z.infer<typeof timePointSchema>;
/** One process's resource use. */
export type ProcessUsage = z.infer<typeof processUsageSchema>;
/** The passes of a comparison run (e.g. 1 vs 2 database shards). */
export type ComparisonEntry = z.infer<typeof comparisonSchema>[number];
/** One statement's work in the run window. */
export type QueryStat = z.infer<typeof queryStatSchema>;
/** One reading of the database servers. */
export type DatabasePoint = z.infer<typeof databasePointSchema>;
/** One endpoint's p95 over time. */
export type EndpointSeries = z.infer<typeof endpointSeriesSchema>;
/** Responses per status class in one second. */
export type StatusPoint = z.infer<typeof statusPointSchema>;
/** A scenario's span on the run's clock. */
export type Phase = z.infer<typeof phaseSchema>;
/** The app's instance count over time and its auto-scaling decisions. */
export type ScalingResults = z.infer<typeof scalingSchema>;
