import { z } from 'zod';
import { LIGHTHOUSE_CATEGORIES, LIGHTHOUSE_METRICS } from '../results/schema-frontend.ts';
import { QUANTITY_RE, TOLERANCE_RE } from './units.ts';

/** Budget format version; the schema's $id carries it. */
export const BUDGET_SCHEMA_VERSION = 1;

const limitText = z.string().regex(QUANTITY_RE);
const toleranceText = z.string().regex(TOLERANCE_RE).meta({
  id: 'tolerance',
  description:
    'accepted regression against the baseline: relative ("+10%"), in the entry\'s unit ("+20 ms", "+5 kB") or in percentage points for ratios ("+0.5pp")',
});
const level = z
  .enum(['warn', 'error'])
  .meta({ id: 'level', description: 'error fails the run (exit 1); warn is reported only' });

const entryObject = z.strictObject({
  limit: z
    .union([limitText, z.number()])
    .optional()
    .meta({ description: 'the limit, e.g. "<= 300 ms"; omit to judge only against the baseline' }),
  level: level.optional(),
  tolerance: toleranceText.optional(),
  optional: z.boolean().optional().meta({ description: 'true: a missing measurement is skipped instead of failing' }),
  inconclusive: level.optional().meta({
    description:
      'how a verdict whose confidence interval straddles the limit counts: warn (default) or error (overrides defaults.inconclusive)',
  }),
  note: z.string().optional().meta({ description: 'why this limit; shown in the report' }),
});

/** One budget entry: a limit string/number, or an object with limit, level, tolerance and optional. */
export const entrySchema = z.union([limitText, z.number(), entryObject]).meta({
  id: 'entry',
  description:
    'a limit such as "<= 300 ms", "95%", 0.9, or an object {limit, level, tolerance, optional, inconclusive, note}',
});

const opt = entrySchema.optional();
/** An entry documented with what it measures, its kind and the operator used when the limit writes none. */
const lim = (what: string, kind: string, op: '<=' | '>='): typeof opt =>
  opt.meta({ description: `${what} (${kind}; ${op} unless the limit says otherwise)` });
const dur = (what: string) => lim(what, 'duration', '<=');
const latency = {
  avg: dur('mean request duration'),
  p50: dur('median request duration'),
  p90: dur('90th percentile'),
  p95: dur('95th percentile'),
  p99: dur('99th percentile'),
  max: dur('slowest request'),
};
const size = (what: string) => lim(what, 'size', '<=');
const sizes = z
  .strictObject({
    raw: size('uncompressed bytes'),
    gzip: size('gzip-compressed bytes'),
    brotli: size('brotli-compressed bytes'),
  })
  .meta({ id: 'sizes', description: 'limits per compression: raw, gzip, brotli' });
const lighthouseLimits = {
  scores: z
    .strictObject(
      Object.fromEntries(LIGHTHOUSE_CATEGORIES.map((c) => [c, lim(`${c} category score`, 'score 0..1', '>=')])),
    )
    .optional()
    .meta({ description: 'minimum category scores (0..1), median over runs' }),
  metrics: z
    .strictObject(
      Object.fromEntries(
        LIGHTHOUSE_METRICS.map((c) => [c, c === 'cumulative-layout-shift' ? lim(c, 'number', '<=') : dur(c)]),
      ),
    )
    .optional()
    .meta({ description: 'maximum metric values (ms; cumulative-layout-shift unitless)' }),
};

/** The perfkit budget file: mirrors the result model section by section. */
export const budgetSchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().optional(),
    defaults: z
      .strictObject({
        level: level.optional(),
        tolerance: toleranceText.optional(),
        inconclusive: level.optional().meta({
          description: 'how inconclusive verdicts (interval straddles the limit) count: warn (default) or error',
        }),
      })
      .optional()
      .meta({
        description:
          'level for entries that do not set one; tolerance for duration and size entries that do not set one (ratios, scores, rates and counts compare to the baseline only with their own tolerance); how inconclusive verdicts count',
      }),
    regressions: z
      .strictObject({
        level: level.optional().meta({
          description: "level of every regression verdict (against --baseline); default: each entry's own level",
        }),
        alpha: z.number().gt(0).max(0.5).optional().meta({
          description:
            'significance level of the one-sided Mann–Whitney U test a regression must pass besides the tolerance (default 0.05)',
        }),
      })
      .optional()
      .meta({
        description:
          'regression checks: called only when beyond the tolerance and statistically significant; their level',
      }),
    api: z
      .strictObject({
        ...latency,
        errorRate: lim('share of failed requests, e.g. "1%"', 'ratio', '<='),
        throughput: lim('requests per second, e.g. "50/s"', 'rate', '>='),
        checks: lim('share of passing k6 checks, e.g. "99%"', 'ratio', '>='),
        thresholds: lim('number of failed scenario thresholds, usually 0', 'count', '<='),
        endpoints: z
          .record(
            z.string(),
            z.strictObject({
              ...latency,
              errorRate: lim('share of failed requests', 'ratio', '<='),
              throughput: lim('requests per second', 'rate', '>='),
            }),
          )
          .optional()
          .meta({ description: 'per endpoint, keyed by the k6 `name` tag' }),
      })
      .optional()
      .meta({ description: 'HTTP load (durations per request, all endpoints or per endpoint)' }),
    database: z
      .strictObject({
        queryTime: dur('mean query time'),
        queryTimeP95: dur('95th percentile query time'),
        connectionCount: lim('peak open connections', 'count', '<='),
        slowQueries: lim('number of slow statements', 'count', '<='),
        replicaLag: dur('replica replay lag'),
      })
      .optional()
      .meta({ description: 'PostgreSQL: mean/p95 query time, peak connections, number of slow queries, replica lag' }),
    frontend: z
      .strictObject({
        loadTime: dur('page load time (RUM / browser samples)'),
        renderTime: dur('time to first render'),
        bundleSize: size('initial JavaScript as the app reports it'),
        lighthouse: z
          .strictObject({
            presets: z
              .array(z.enum(['desktop', 'mobile']))
              .optional()
              .meta({ description: 'judge only these presets (default: all measured)' }),
            modes: z
              .array(z.enum(['cold', 'warm']))
              .optional()
              .meta({ description: 'judge only these modes (default: all measured)' }),
            ...lighthouseLimits,
            pages: z
              .record(z.string(), z.strictObject(lighthouseLimits))
              .optional()
              .meta({ description: 'limits for one page, keyed by page name' }),
          })
          .optional(),
      })
      .optional()
      .meta({ description: 'browser figures: RUM load/render time, Lighthouse scores and metrics' }),
    bundle: z
      .strictObject({
        total: sizes.optional(),
        initialJs: sizes.optional(),
        entries: z
          .record(z.string(), sizes)
          .optional()
          .meta({ description: 'per entry point (its initial files), keyed by entry name' }),
        chunks: z.record(z.string(), sizes).optional().meta({ description: 'per chunk, keyed by chunk name' }),
      })
      .optional()
      .meta({ description: 'build output sizes' }),
    cache: z
      .strictObject({
        hitRatio: lim('hits / (hits + misses)', 'ratio', '>='),
        kinds: z
          .record(z.string(), z.strictObject({ hitRatio: lim('hit ratio of this cache kind', 'ratio', '>=') }))
          .optional()
          .meta({ description: 'per cache kind: metrics, userData, externalAPIs' }),
      })
      .optional()
      .meta({ description: 'minimum cache hit ratio, overall and per cache kind' }),
  })
  .meta({
    title: 'perfkit budget',
    description: "Performance budget: limits on a run's results, judged by `npm run budgets -- check`.",
  });

/** A perfkit budget file. */
export type Budget = z.infer<typeof budgetSchema>;
/** One budget entry as written. */
export type BudgetEntry = z.infer<typeof entrySchema>;

/** Lighthouse's classic budget.json: an array of per-path budgets. */
export const lighthouseBudgetSchema = z
  .array(
    z.strictObject({
      path: z
        .string()
        .optional()
        .meta({ description: 'URL path pattern (`*` wildcard, `$` end); default: every page' }),
      options: z.strictObject({ firstPartyHostnames: z.array(z.string()).optional() }).optional(),
      resourceSizes: z
        .array(z.strictObject({ resourceType: z.string(), budget: z.number().min(0).meta({ description: 'KiB' }) }))
        .optional(),
      resourceCounts: z.array(z.strictObject({ resourceType: z.string(), budget: z.number().int().min(0) })).optional(),
      timings: z
        .array(
          z.strictObject({ metric: z.string(), budget: z.number().min(0), tolerance: z.number().min(0).optional() }),
        )
        .optional(),
    }),
  )
  .meta({ title: 'Lighthouse budget.json' });

/** Lighthouse's classic budget.json. */
export type LighthouseBudget = z.infer<typeof lighthouseBudgetSchema>;

/** The budget JSON Schema (budgets/budget.schema.json is this, byte for byte). */
export function generateBudgetJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(budgetSchema, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
  return { $schema, $id: `urn:perfkit:schema:budget:${BUDGET_SCHEMA_VERSION}`, ...rest };
}

/** The JSON Schema for Lighthouse's classic budget.json. */
export function generateLighthouseBudgetJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(lighthouseBudgetSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}
