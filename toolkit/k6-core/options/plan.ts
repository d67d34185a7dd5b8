import { ToolkitError } from '../../errors.ts';
import { K6_EXIT_CODE } from '../exit-codes.ts';
import { parseDuration } from './duration.ts';
import { applyTier, deriveScenarios, envTier } from './shortcuts.ts';

/** The six k6 executors the built-in runner implements. */
export type ExecutorName =
  | 'shared-iterations'
  | 'per-vu-iterations'
  | 'constant-vus'
  | 'ramping-vus'
  | 'constant-arrival-rate'
  | 'ramping-arrival-rate';

const EXECUTORS: readonly ExecutorName[] = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
];

/** One stage of a ramping executor, in ms and VUs (or iterations per timeUnit). */
export interface Stage {
  durationMs: number;
  target: number;
}

/** A scenario with every k6 default filled in and every duration in ms. */
export interface ScenarioPlan {
  name: string;
  executor: ExecutorName;
  startTimeMs: number;
  gracefulStopMs: number;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
  vus: number;
  iterations: number;
  durationMs: number;
  maxDurationMs: number;
  stages: Stage[];
  startVUs: number;
  gracefulRampDownMs: number;
  rate: number;
  startRate: number;
  timeUnitMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
}

/** CLI-style overrides; any of duration/iterations/stages (or vus alone) replaces the script's execution config, as in k6 2.x. */
export interface OptionOverrides {
  vus?: number;
  duration?: string;
  iterations?: number;
  stages?: Array<{ duration: string; target: number }>;
  summaryTrendStats?: string[];
  thresholds?: Record<string, unknown>;
  /** --user-agent: the default User-Agent of HTTP requests. */
  userAgent?: string;
}

/** Everything the engine needs from options, validated. */
export interface RunPlan {
  scenarios: ScenarioPlan[];
  thresholds: Record<string, unknown>;
  summaryTrendStats: string[];
  tags: Record<string, string>;
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  /** The merged options object, exposed to scripts as exec.test.options. */
  options: Record<string, unknown>;
  /** What k6 warns about while merging the options (a tier that replaced the script's scenarios). */
  warnings: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Builds the run plan from the script's exported options, the K6_* environment tier and the CLI
 * overrides (k6's precedence: CLI > env > script options).
 */
export function planRun(
  scriptOptions: unknown,
  overrides: OptionOverrides = {},
  env: Record<string, string | undefined> = {},
): RunPlan {
  const opts: Obj = isObj(scriptOptions) ? { ...scriptOptions } : {};
  const warnings: string[] = [];
  const { summaryTrendStats, thresholds, userAgent, ...cli } = overrides;
  for (const [tier, name] of [
    [envTier(env), 'env'],
    [cli, 'cli'],
  ] as const) {
    const w = applyTier(opts, tier, name);
    if (w) warnings.push(w);
  }
  if (summaryTrendStats) opts.summaryTrendStats = summaryTrendStats;
  // k6's userAgent option: --user-agent over K6_USER_AGENT over the script's options.userAgent.
  const ua = userAgent ?? env.K6_USER_AGENT;
  if (ua !== undefined) opts.userAgent = ua;
  if (thresholds) opts.thresholds = thresholds;
  const derived = deriveScenarios(opts);
  if (derived.warning) warnings.push(derived.warning);
  const scenarios = Object.entries(derived.scenarios).map(([name, cfg]) => planScenario(name, cfg));
  const stats = opts.summaryTrendStats;
  return {
    scenarios,
    thresholds: isObj(opts.thresholds) ? opts.thresholds : {},
    summaryTrendStats: Array.isArray(stats) ? stats.map(String) : ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
    tags: stringMap(opts.tags, 'options.tags'),
    setupTimeoutMs: opts.setupTimeout === undefined ? 60_000 : parseDuration(opts.setupTimeout, 'options.setupTimeout'),
    teardownTimeoutMs:
      opts.teardownTimeout === undefined ? 60_000 : parseDuration(opts.teardownTimeout, 'options.teardownTimeout'),
    options: opts,
    warnings,
  };
}

function planScenario(name: string, raw: unknown): ScenarioPlan {
  const at = `options.scenarios.${name}`;
  if (!isObj(raw)) throw invalid(at, 'is not an object', 'give each scenario an object with an executor');
  const executor = raw.executor;
  if (typeof executor !== 'string' || !EXECUTORS.includes(executor as ExecutorName)) {
    throw invalid(
      `${at}.executor`,
      `"${String(executor)}" is not supported`,
      `use one of ${EXECUTORS.join(', ')} (or run real k6 with --engine k6)`,
    );
  }
  const dur = (key: string, def: number): number =>
    raw[key] === undefined ? def : parseDuration(raw[key], `${at}.${key}`, 's');
  const num = (key: string, def: number): number => {
    const v = raw[key] ?? def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw invalid(`${at}.${key}`, `"${String(v)}" is not a non-negative number`, 'use a number');
    return v;
  };
  const stages = Array.isArray(raw.stages) ? raw.stages.map((s: unknown, i) => planStage(s, `${at}.stages[${i}]`)) : [];
  const vus = num('vus', 1);
  const preAllocatedVUs = num('preAllocatedVUs', 1);
  return {
    name,
    executor: executor as ExecutorName,
    startTimeMs: dur('startTime', 0),
    gracefulStopMs: dur('gracefulStop', 30_000),
    exec: typeof raw.exec === 'string' ? raw.exec : 'default',
    env: stringMap(raw.env, `${at}.env`),
    tags: stringMap(raw.tags, `${at}.tags`),
    vus,
    iterations: num('iterations', 1),
    durationMs: dur('duration', 0),
    maxDurationMs: dur('maxDuration', 600_000),
    stages,
    startVUs: num('startVUs', 1),
    gracefulRampDownMs: dur('gracefulRampDown', 30_000),
    rate: num('rate', 0),
    startRate: num('startRate', 0),
    timeUnitMs: dur('timeUnit', 1000),
    preAllocatedVUs,
    maxVUs: Math.max(num('maxVUs', preAllocatedVUs), preAllocatedVUs),
  };
}

function planStage(raw: unknown, at: string): Stage {
  if (!isObj(raw) || typeof raw.target !== 'number')
    throw invalid(at, 'needs a duration and a numeric target', 'write { duration: "10s", target: 5 }');
  return { durationMs: parseDuration(raw.duration, `${at}.duration`, 's'), target: raw.target };
}

function stringMap(raw: unknown, at: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isObj(raw)) throw invalid(at, 'is not an object of strings', 'use { key: "value" }');
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

function invalid(at: string, what: string, fix: string): ToolkitError {
  return new ToolkitError('SCRIPT_INVALID', `${at} ${what}`, { fix, exitCode: K6_EXIT_CODE.invalidConfig });
}
