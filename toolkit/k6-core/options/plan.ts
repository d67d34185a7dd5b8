import { ToolkitError } from '../../errors.ts';
import { K6_EXIT_CODE } from '../exit-codes.ts';
import { parseDuration } from './duration.ts';

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

/** CLI-style overrides; any of vus/duration/iterations/stages replaces the script's scenarios, as in k6. */
export interface OptionOverrides {
  vus?: number;
  duration?: string;
  iterations?: number;
  stages?: Array<{ duration: string; target: number }>;
  summaryTrendStats?: string[];
  thresholds?: Record<string, unknown>;
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
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds the run plan from the script's exported options and the CLI overrides. */
export function planRun(scriptOptions: unknown, overrides: OptionOverrides = {}): RunPlan {
  const opts: Obj = isObj(scriptOptions) ? { ...scriptOptions } : {};
  const cliShapes =
    overrides.vus !== undefined ||
    overrides.duration !== undefined ||
    overrides.iterations !== undefined ||
    overrides.stages !== undefined;
  for (const key of ['vus', 'duration', 'iterations', 'stages'] as const) {
    if (overrides[key] !== undefined) opts[key] = overrides[key];
  }
  if (overrides.summaryTrendStats) opts.summaryTrendStats = overrides.summaryTrendStats;
  if (overrides.thresholds) opts.thresholds = overrides.thresholds;
  const useShortcut = cliShapes || !isObj(opts.scenarios);
  const scenarioObjs: Obj = useShortcut ? { default: shortcutScenario(opts) } : (opts.scenarios as Obj);
  if (useShortcut) delete opts.scenarios;
  const scenarios = Object.entries(scenarioObjs).map(([name, cfg]) => planScenario(name, cfg));
  if (scenarios.length === 0) throw invalid('options.scenarios', 'has no scenario', 'define at least one scenario');
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
  };
}

/** k6's execution shortcuts: stages → ramping-vus, duration → constant-vus, else shared-iterations. */
function shortcutScenario(opts: Obj): Obj {
  const vus = opts.vus ?? 1;
  if (Array.isArray(opts.stages) && opts.stages.length > 0) {
    return { executor: 'ramping-vus', startVUs: vus, stages: opts.stages, gracefulStop: '30s' };
  }
  if (opts.duration !== undefined && opts.iterations === undefined) {
    const ms = parseDuration(opts.duration, 'options.duration', 's');
    if (ms > 0) return { executor: 'constant-vus', vus, duration: opts.duration };
  }
  const sc: Obj = { executor: 'shared-iterations', vus, iterations: opts.iterations ?? vus };
  if (opts.duration !== undefined) sc.maxDuration = opts.duration;
  return sc;
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
