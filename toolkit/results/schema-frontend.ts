import { z } from 'zod';

/** Lighthouse category ids reported as scores (0..1). */
export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** Lighthouse metric audit ids kept in the model (milliseconds, except cumulative-layout-shift: unitless). */
export const LIGHTHOUSE_METRICS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
  'interactive',
  'server-response-time',
  'max-potential-fid',
] as const;

const score = z.number().min(0).max(1).nullable();
const scoresSchema = z.partialRecord(z.enum(LIGHTHOUSE_CATEGORIES), score).meta({ id: 'lighthouseScores' });
const metricsSchema = z
  .partialRecord(z.enum(LIGHTHOUSE_METRICS), z.number().min(0).nullable())
  .meta({ id: 'lighthouseMetrics' });
const spreadSchema = z.strictObject({
  min: z.number(),
  max: z.number(),
  q1: z.number().optional().meta({ description: 'first quartile over runs' }),
  q3: z.number().optional().meta({ description: 'third quartile over runs (IQR = q3 - q1)' }),
});

/** Requests and transfer size of one resource type, from Lighthouse's resource-summary audit. */
export const resourceSummarySchema = z
  .strictObject({
    resourceType: z
      .string()
      .meta({ description: 'document, script, stylesheet, image, font, media, other, third-party, total' }),
    requestCount: z.number().int().min(0),
    transferSize: z.number().min(0).meta({ description: 'bytes over the wire' }),
  })
  .meta({ id: 'resourceSummary' });

/** An opportunity or diagnostic of the representative run, with its estimated savings. */
export const lighthouseFindingSchema = z
  .strictObject({
    id: z.string().meta({ description: 'audit id, e.g. `unused-javascript`' }),
    title: z.string(),
    kind: z.enum(['opportunity', 'diagnostic']),
    score: z.number().min(0).max(1).nullable(),
    displayValue: z.string().optional(),
    savingsMs: z.number().min(0).optional().meta({ description: 'estimated load-time saving (overallSavingsMs)' }),
    savingsBytes: z.number().min(0).optional().meta({ description: 'estimated transfer saving (overallSavingsBytes)' }),
    metricSavings: z
      .record(z.string(), z.number())
      .optional()
      .meta({ description: 'estimated saving per metric (LCP, FCP, TBT, CLS, INP), those above zero' }),
  })
  .meta({ id: 'lighthouseFinding' });

/** Lighthouse for one page + preset + cold/warm: median of the runs, their spread, and each run's reports. */
export const lighthouseResultSchema = z
  .strictObject({
    page: z.string().min(1).meta({ description: 'page name from the config, e.g. `dashboard`' }),
    url: z.string(),
    preset: z.enum(['desktop', 'mobile']),
    mode: z
      .enum(['cold', 'warm'])
      .meta({ description: 'cold: empty cache; warm: repeat view with caches and service worker' }),
    runs: z.number().int().min(1),
    aggregation: z
      .enum(['median', 'optimistic', 'pessimistic'])
      .meta({ description: 'how the representative run (the linked report) was chosen' }),
    scores: scoresSchema.meta({
      description: 'per-score median over the valid runs (the representative run when older)',
    }),
    metrics: metricsSchema.meta({ description: 'per-metric median over the valid runs' }),
    spread: z
      .record(z.string(), spreadSchema)
      .meta({ description: 'min/max (and quartiles) over runs per score or metric id' }),
    values: z
      .record(z.string(), z.array(z.number().nullable()))
      .optional()
      .meta({ description: 'each run’s value per score or metric id, in run order (null: that run had none)' }),
    representativeRun: z.number().int().min(0).optional().meta({
      description: 'index into reports of the run the aggregation chose (median: closest to median FCP and TTI)',
    }),
    runWarnings: z
      .array(z.string())
      .optional()
      .meta({ description: "Lighthouse's run warnings of every run, each once" }),
    findings: z.array(lighthouseFindingSchema).optional().meta({
      description:
        "the representative run's not-passed opportunities and diagnostics (a handful, biggest savings first)",
    }),
    resourceSummary: z.array(resourceSummarySchema),
    reports: z
      .array(z.strictObject({ json: z.string(), html: z.string().optional() }))
      .meta({ description: "each run's report files, relative to the run folder" }),
  })
  .meta({ id: 'lighthouseResult' });

/** One page load in a real browser while the scenarios ran. */
export const browserSampleSchema = z
  .strictObject({
    t: z.number().min(0).meta({ description: 'seconds since the run started' }),
    page: z.string(),
    loadTime: z.number().min(0).nullable(),
    renderTime: z.number().min(0).nullable(),
    lcp: z.number().min(0).nullable().optional(),
    fcp: z.number().min(0).nullable().optional(),
    ttfb: z.number().min(0).nullable().optional(),
    cls: z.number().min(0).nullable().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'browserSample' });

/** The frontend part: the seed's {loadTime, renderTime, bundleSize} plus Lighthouse and browser-under-load samples. */
export const frontendSchema = z
  .strictObject({
    loadTime: z
      .number()
      .min(0)
      .nullable()
      .meta({ description: 'page load time in ms (median of RUM or browser samples)' }),
    renderTime: z.number().min(0).nullable().meta({ description: 'time to first render in ms' }),
    bundleSize: z.number().min(0).nullable().meta({ description: 'initial JavaScript in bytes (gzip)' }),
    lighthouse: z.array(lighthouseResultSchema),
    browserSamples: z.array(browserSampleSchema),
  })
  .meta({ id: 'frontend' });

const sizes = z.strictObject({ raw: z.number().min(0), gzip: z.number().min(0), brotli: z.number().min(0).nullable() });

/** One emitted file of the build. */
export const bundleAssetSchema = z
  .strictObject({
    name: z.string(),
    type: z.enum(['js', 'css', 'other']),
    initial: z.boolean().meta({ description: 'loaded by an entry before first render' }),
    chunks: z.array(z.string()),
    ...sizes.shape,
  })
  .meta({ id: 'bundleAsset' });

/** Build output sizes (bytes): per entry (its initial files), per chunk, per asset and in total. */
export const bundleSchema = z
  .strictObject({
    tool: z.string().meta({ description: 'bundler and version, e.g. `webpack 5.102.0`' }),
    total: sizes,
    initialJs: sizes.meta({ description: 'JavaScript every entry loads before first render' }),
    entries: z.array(z.strictObject({ name: z.string(), assets: z.array(z.string()), ...sizes.shape })),
    chunks: z.array(
      z.strictObject({ name: z.string(), initial: z.boolean(), assets: z.array(z.string()), ...sizes.shape }),
    ),
    assets: z.array(bundleAssetSchema),
    analyzerReport: z.string().optional().meta({ description: 'bundle analyzer HTML, relative to the run folder' }),
  })
  .meta({ id: 'bundle' });
