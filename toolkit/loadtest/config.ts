import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ToolkitError, usageError } from '../errors.ts';

/** Scenario profiles: what `npm run loadtest` runs by default and with --ci. */
export const PROFILES = {
  default: {
    scenarios: ['smoke', 'load', 'cache', 'replica'],
    budget: 'budgets/default.json',
    lighthouseRuns: 3,
    env: {
      DURATION: '60s',
      VUS: '10',
      RAMP_UP: '15s',
      RAMP_DOWN: '10s',
      COLD_DURATION: '15s',
      WARM_DURATION: '20s',
    } as Record<string, string>,
  },
  ci: {
    scenarios: ['smoke', 'load', 'cache'],
    budget: 'budgets/ci.json',
    lighthouseRuns: 1,
    env: {
      DURATION: '20s',
      VUS: '5',
      RAMP_UP: '5s',
      RAMP_DOWN: '5s',
      COLD_DURATION: '8s',
      WARM_DURATION: '10s',
    } as Record<string, string>,
  },
} as const;

/** How many businesses each seed scale creates (the scenarios spread VUs over them). */
const SEEDED_BUSINESSES = { small: 20, medium: 40, large: 100 } as const;

const engineSchema = z.enum(['builtin', 'k6', 'auto']);
const presetSchema = z.enum(['mobile', 'desktop']);

/** The config file's shape (perfkit.config.json); every key optional, unknown keys rejected. */
export const fileConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  target: z.url().optional(),
  scenarios: z.array(z.string().min(1)).min(1).optional(),
  budget: z.string().optional(),
  baseline: z.string().optional(),
  engine: engineSchema.optional(),
  instances: z.number().int().min(1).max(16).optional(),
  nginx: z.boolean().optional(),
  pgbouncer: z.boolean().optional(),
  scale: z.enum(['small', 'medium', 'large']).optional(),
  env: z.record(z.string(), z.string()).optional(),
  outDir: z.string().optional(),
  lighthouse: z
    .strictObject({
      enabled: z.boolean().optional(),
      runs: z.number().int().min(1).max(15).optional(),
      presets: z.array(presetSchema).min(1).optional(),
      pages: z
        .array(
          z.strictObject({ name: z.string().min(1), path: z.string().startsWith('/'), auth: z.boolean().optional() }),
        )
        .min(1)
        .optional(),
    })
    .optional(),
  bundle: z.strictObject({ enabled: z.boolean().optional(), stats: z.string().optional() }).optional(),
  browserUnderLoad: z
    .strictObject({ enabled: z.boolean().optional(), intervalMs: z.number().int().min(500).optional() })
    .optional(),
  credentials: z.strictObject({ email: z.string(), password: z.string() }).optional(),
  allowNonLoopback: z.literal(false).optional(),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;

/** Everything one `loadtest` run needs, resolved from defaults → config file → env → flags. */
export interface LoadtestConfig {
  /** Absolute project root (cwd). */
  root: string;
  /** External target URL; undefined means: start the reference app and target it. */
  target: string | undefined;
  scenarios: string[];
  budgetPath: string;
  baselinePath: string | undefined;
  engine: z.infer<typeof engineSchema>;
  instances: number;
  /** The reference app under its auto-scaling supervisor (flags, or the autoscale scenario); undefined: a fixed `instances`. */
  autoscale: { min: number; max: number } | undefined;
  /** Database shard primaries of the reference app's stack (--shards; the last of --compare-shards). */
  shards: number;
  /** --compare-shards: run the scenarios once per shard count (fresh stack each) and compare them in one report. */
  compareShards: number[] | undefined;
  /** Reference app behind a private nginx (one app process per instance) instead of node:cluster. */
  nginx: boolean;
  /** Reference app's primary pool through a private pgbouncer (transaction pooling). */
  pgbouncer: boolean;
  scale: 'small' | 'medium' | 'large';
  env: Record<string, string>;
  outDir: string;
  ci: boolean;
  lighthouse: {
    enabled: boolean;
    runs: number;
    presets: ('mobile' | 'desktop')[];
    pages: { name: string; path: string; auth: boolean }[];
  };
  bundle: { enabled: boolean; statsPath: string | undefined };
  browserUnderLoad: { enabled: boolean; intervalMs: number };
  credentials: { email: string; password: string };
  json: boolean;
  quiet: boolean;
  debug: boolean;
  /** Environment variables passed through to child tools (K6_BIN, CHROME_PATH, DATABASE_URL…). */
  processEnv: Record<string, string | undefined>;
  githubStepSummary: string | undefined;
  /** k6 NDJSON sample files (`k6 run --out json=…`, one per k6-operator runner) to judge instead of generating load here. */
  importNdjson: string[];
  /** A k6 --summary-export file giving the thresholds of the imported run. */
  importSummaryExport: string | undefined;
}

export const HELP = `Usage: npm run loadtest -- [options]

Runs the whole measurement pipeline: stack up → app up → seed → scenarios
(+ browser under load) → Lighthouse → bundle → budgets → report → stack down.

Options:
  --target URL            measure this app instead of starting the reference app
                          (loopback addresses only: 127.0.0.1, localhost, [::1])
  --scenario NAME         scenario(s) from scenarios/ (repeat or comma-separate);
                          default: ${PROFILES.default.scenarios.join(', ')}
  --budget FILE           budget file (default budgets/default.json; --ci: budgets/ci.json;
                          a single --scenario NAME with a budgets/NAME.json uses that)
  --baseline FILE         results.json of an earlier run to compare against ('latest' = newest in reports/)
  --engine E              builtin | k6 | auto (default auto: k6 from K6_BIN or PATH, else built-in)
  --lighthouse-runs N     Lighthouse runs per page and preset (median reported; default 3, --ci 1)
  --no-lighthouse         skip Lighthouse        --no-bundle   skip bundle analysis
  --no-browser-under-load skip the periodic page loads during the scenarios
  --instances N           app instances behind one port (reference app; default 2)
  --min-instances N       auto-scale the reference app between N and --max-instances
  --max-instances M       (default 1..4 when the scenarios include autoscale)
  --nginx                 put nginx (load balancer + static files) in front of the instances
  --pgbouncer             put pgbouncer (transaction pooling) between the app and the primary
  --shards N              database shard primaries of the reference app's stack (default 1; business n on shard n mod N)
  --compare-shards A,B    run the scenarios once per shard count, a fresh stack each time, same rates;
                          one results.json with a \`comparison\` section (e.g. --compare-shards 1,2)
  --scale S               seed size: small | medium | large (default small)
  -e, --env KEY=VALUE     environment for the scenarios (repeatable), e.g. -e DURATION=30s
  --import-k6 FILES       judge results real k6 produced elsewhere (k6-operator, k6 cloud export):
                          comma-separated --out json files, merged; no load is generated here
  --import-summary-export FILE  that run's --summary-export file (for its thresholds)
  --ci                    quick profile (under 5 minutes) for a CI gate
  --config FILE           config file (default perfkit.config.json when present)
  --out DIR               where reports go (default reports/)
  --json                  print only the run's summary JSON on stdout
  --quiet                 no progress output    --debug   stack traces on errors
  -h, --help              this text

Exit codes: 0 all budgets pass (warnings allowed), 1 a budget failed, 2 usage, config or infrastructure error.`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Refuses any target that is not a loopback address: load goes only to this machine. */
export function assertLoopback(url: string, where: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw usageError(`${where}: '${url}' is not a URL`, 'give a full URL such as http://127.0.0.1:3000');
  }
  if (!LOOPBACK.has(host) && !host.startsWith('127.')) {
    throw new ToolkitError('TARGET_NOT_LOOPBACK', `${where}: target host '${host}' is not a loopback address`, {
      fix: 'load tests here may only target 127.0.0.1, localhost or [::1]; run the app locally or tunnel it to a loopback port',
    });
  }
}

function readFileConfig(file: string, explicit: boolean): FileConfig {
  if (!existsSync(file)) {
    if (explicit)
      throw new ToolkitError('FILE_NOT_FOUND', `config file ${file} does not exist`, {
        fix: 'check the --config path',
      });
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ToolkitError('JSON_INVALID', `${file}: ${(err as Error).message}`, { fix: 'fix the JSON syntax' });
  }
  const parsed = fileConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const pointer = '/' + (issue?.path ?? []).map(String).join('/');
    throw new ToolkitError('CONFIG_INVALID', `${file}#${pointer}: ${issue?.message ?? 'invalid'}`, {
      fix: 'see `npm run loadtest -- --help` for the options the config file accepts',
    });
  }
  return parsed.data;
}

function parseEnvPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`-e ${pair}: expected KEY=VALUE`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${flag} ${value}: expected a whole number >= 1`);
  return n;
}

/** --shards and --compare-shards: counts 1..8; a comparison needs the reference app and ends on its last count. */
function shardsConfig(
  shards: string | undefined,
  compare: string | undefined,
  target: string | undefined,
): { shards: number; compareShards: number[] | undefined } {
  const count = (v: string, flag: string): number => {
    const n = positiveInt(v.trim(), flag) ?? 1;
    if (n > 8) throw usageError(`${flag} ${v}: at most 8 shards`);
    return n;
  };
  if (compare === undefined)
    return { shards: shards === undefined ? 1 : count(shards, '--shards'), compareShards: undefined };
  if (shards !== undefined)
    throw usageError('--shards and --compare-shards exclude each other', 'use --compare-shards 1,2 alone');
  if (target !== undefined)
    throw usageError(
      '--compare-shards starts the reference app once per shard count; it cannot measure --target',
      'drop --target',
    );
  const counts = compare
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => count(s, '--compare-shards'));
  if (counts.length < 2)
    throw usageError(`--compare-shards ${compare}: expected two or more shard counts`, 'e.g. --compare-shards 1,2');
  return { shards: counts[counts.length - 1] ?? 1, compareShards: counts };
}

/** The app's auto-scaling limits: from the flags, else 1..4 when a chosen scenario is `autoscale`. */
function autoscaleLimits(
  flags: { 'min-instances'?: string; 'max-instances'?: string; instances?: string; nginx?: boolean },
  scenarios: string[],
): { min: number; max: number } | undefined {
  const min = positiveInt(flags['min-instances'], '--min-instances');
  const max = positiveInt(flags['max-instances'], '--max-instances');
  if (min === undefined && max === undefined && !scenarios.includes('autoscale')) return undefined;
  const limits = { min: min ?? 1, max: max ?? Math.max(min ?? 1, 4) };
  if (limits.max < limits.min || limits.max > 16)
    throw usageError(`--min-instances ${limits.min} --max-instances ${limits.max}: expected 1 <= min <= max <= 16`);
  if (flags.instances !== undefined && (min !== undefined || max !== undefined))
    throw usageError(
      '--instances cannot be combined with --min-instances/--max-instances',
      'give either a fixed count or auto-scaling limits',
    );
  if (flags.nginx)
    throw usageError(
      '--nginx balances a fixed set of app ports and cannot follow auto-scaling',
      'drop --nginx, or drop --min/--max-instances and the autoscale scenario',
    );
  return limits;
}

/** Parses argv into flags; throws a usage error naming the flag. */
export function parseLoadtestArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        target: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        budget: { type: 'string' },
        baseline: { type: 'string' },
        engine: { type: 'string' },
        'lighthouse-runs': { type: 'string' },
        'no-lighthouse': { type: 'boolean' },
        'no-bundle': { type: 'boolean' },
        'no-browser-under-load': { type: 'boolean' },
        instances: { type: 'string' },
        'min-instances': { type: 'string' },
        'max-instances': { type: 'string' },
        shards: { type: 'string' },
        'compare-shards': { type: 'string' },
        nginx: { type: 'boolean' },
        pgbouncer: { type: 'boolean' },
        scale: { type: 'string' },
        env: { type: 'string', short: 'e', multiple: true },
        ci: { type: 'boolean' },
        'import-k6': { type: 'string', multiple: true },
        'import-summary-export': { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

/** Resolves the run's configuration: defaults → config file → env → flags. */
export function loadConfig(argv: string[], env: Record<string, string | undefined>, cwd: string): LoadtestConfig {
  const flags = parseLoadtestArgs(argv);
  const ci = Boolean(flags.ci);
  const profile = ci ? PROFILES.ci : PROFILES.default;
  const configPath = path.resolve(cwd, flags.config ?? 'perfkit.config.json');
  const file = readFileConfig(configPath, flags.config !== undefined);
  const engine = engineSchema.safeParse(flags.engine ?? env.PERFKIT_ENGINE ?? file.engine ?? 'auto');
  if (!engine.success) throw usageError(`--engine ${flags.engine}: expected builtin, k6 or auto`);
  const scale = flags.scale ?? file.scale ?? 'small';
  if (scale !== 'small' && scale !== 'medium' && scale !== 'large')
    throw usageError(`--scale ${scale}: expected small, medium or large`);
  const target = flags.target ?? env.PERFKIT_TARGET ?? file.target;
  if (target !== undefined)
    assertLoopback(target, flags.target ? '--target' : env.PERFKIT_TARGET ? 'PERFKIT_TARGET' : configPath);
  const scenarios = (flags.scenario ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const lh = file.lighthouse ?? {};
  return {
    root: cwd,
    target,
    scenarios: scenarios.length ? scenarios : (file.scenarios ?? [...profile.scenarios]),
    budgetPath: path.resolve(cwd, flags.budget ?? file.budget ?? scenarioBudget(cwd, scenarios) ?? profile.budget),
    baselinePath: flags.baseline ?? file.baseline,
    engine: engine.data,
    instances: positiveInt(flags.instances, '--instances') ?? file.instances ?? 2,
    autoscale: autoscaleLimits(flags, scenarios.length ? scenarios : (file.scenarios ?? [])),
    ...shardsConfig(flags.shards, flags['compare-shards'], target),
    nginx: Boolean(flags.nginx ?? file.nginx),
    pgbouncer: Boolean(flags.pgbouncer ?? file.pgbouncer),
    scale,
    env: {
      ...profile.env,
      BUSINESSES: String(SEEDED_BUSINESSES[scale]),
      ...file.env,
      ...parseEnvPairs(flags.env ?? []),
    },
    outDir: path.resolve(cwd, flags.out ?? file.outDir ?? 'reports'),
    ci,
    lighthouse: {
      enabled: !flags['no-lighthouse'] && lh.enabled !== false,
      runs: positiveInt(flags['lighthouse-runs'], '--lighthouse-runs') ?? lh.runs ?? profile.lighthouseRuns,
      presets: lh.presets ?? ['mobile'],
      pages: (lh.pages ?? [{ name: 'dashboard', path: '/dashboard', auth: true }]).map((p) => ({
        ...p,
        auth: p.auth ?? false,
      })),
    },
    bundle: { enabled: !flags['no-bundle'] && file.bundle?.enabled !== false, statsPath: file.bundle?.stats },
    browserUnderLoad: {
      // A comparison keeps its passes alike: no browser in one pass only.
      enabled: !flags['no-browser-under-load'] && !flags['compare-shards'] && file.browserUnderLoad?.enabled !== false,
      intervalMs: file.browserUnderLoad?.intervalMs ?? 3000,
    },
    // A viewer no scenario logs in as, so the browser's logins never meet the scenarios' login rate limit.
    credentials: file.credentials ?? { email: 'viewer2@business-2.example', password: 'perfkit-demo' },
    json: Boolean(flags.json),
    quiet: Boolean(flags.quiet),
    debug: Boolean(flags.debug),
    processEnv: env,
    githubStepSummary: env.GITHUB_STEP_SUMMARY,
    importNdjson: (flags['import-k6'] ?? [])
      .flatMap((s) => s.split(','))
      .filter(Boolean)
      .map((f) => path.resolve(cwd, f)),
    importSummaryExport: flags['import-summary-export'] ? path.resolve(cwd, flags['import-summary-export']) : undefined,
  };
}

/** A single chosen scenario's own budget (budgets/<scenario>.json), when there is one: the default budget judges the default mix. */
function scenarioBudget(cwd: string, scenarios: string[]): string | undefined {
  if (scenarios.length !== 1) return undefined;
  const file = path.join('budgets', `${path.basename(scenarios[0] ?? '').replace(/\.(ts|js)$/, '')}.json`);
  return existsSync(path.resolve(cwd, file)) ? file : undefined;
}

/** True when --help was asked for (checked before anything else is validated). */
export const wantsHelp = (argv: string[]): boolean => argv.includes('--help') || argv.includes('-h');
