/**
 * k6 2.x's execution config: options come in tiers (the script's `options`, K6_* environment
 * variables, command-line flags), a higher tier that sets any of duration / iterations / stages /
 * scenarios replaces all of them from the lower tiers, and the merged shortcuts then become one
 * `default` scenario (k6's lib/options.go Apply and lib/executor/execution_config_shortcuts.go).
 */
import { ToolkitError } from '../../errors.ts';
import { K6_EXIT_CODE } from '../exit-codes.ts';
import { parseDuration } from './duration.ts';

type Obj = Record<string, unknown>;

/** One tier's execution shortcuts, as the CLI flags or K6_* variables give them. */
export interface ShortcutTier {
  vus?: number;
  duration?: string;
  iterations?: number;
  stages?: Array<{ duration: string; target: number }>;
}

const SHAPES = ['duration', 'iterations', 'stages', 'scenarios'] as const;
const hasShape = (o: Obj): boolean => SHAPES.some((k) => o[k] !== undefined);

/** Applies a higher tier over `opts` (in place); returns k6's warning when it replaced scenarios. */
export function applyTier(opts: Obj, tier: ShortcutTier, name: 'env' | 'cli'): string | null {
  const t = tier as Obj;
  let warning: string | null = null;
  if (hasShape(t)) {
    if (opts.scenarios !== undefined)
      warning = `"${name}" level configuration overrode scenarios configuration entirely`;
    for (const k of SHAPES) delete opts[k];
  }
  for (const k of ['vus', ...SHAPES] as const) if (t[k] !== undefined) opts[k] = t[k];
  return warning;
}

/** K6_VUS, K6_ITERATIONS, K6_DURATION, K6_STAGES ("30s:10,1m:0") as a tier; bad values are invalid options. */
export function envTier(env: Record<string, string | undefined>): ShortcutTier {
  const tier: ShortcutTier = {};
  const int = (key: string): number | undefined => {
    const v = env[key];
    if (v === undefined || v === '') return undefined;
    if (!/^\d+$/.test(v)) throw invalid(key, `"${v}" is not a whole number`, `set ${key} to e.g. 10, or unset it`);
    return Number(v);
  };
  tier.vus = int('K6_VUS');
  tier.iterations = int('K6_ITERATIONS');
  if (env.K6_DURATION) tier.duration = env.K6_DURATION;
  if (env.K6_STAGES) {
    tier.stages = env.K6_STAGES.split(',').map((s) => {
      const [duration = '', target = ''] = s.trim().split(':');
      if (!duration || !/^\d+$/.test(target))
        throw invalid('K6_STAGES', `"${s}" is not DURATION:TARGET`, 'write K6_STAGES=30s:10,1m:0');
      return { duration, target: Number(target) };
    });
  }
  for (const k of Object.keys(tier) as Array<keyof ShortcutTier>) if (tier[k] === undefined) delete tier[k];
  return tier;
}

/** The scenarios the merged options describe, and any warning k6 gives while deriving them. */
export function deriveScenarios(opts: Obj): { scenarios: Obj; warning: string | null } {
  const stages = Array.isArray(opts.stages) ? opts.stages : undefined;
  const conflict = (a: string, b: string): ToolkitError =>
    invalid(`options.${a}`, `cannot be used together with options.${b}`, `keep either ${a} or ${b}`);
  const only = (sc: Obj): { scenarios: Obj; warning: null } => ({ scenarios: { default: sc }, warning: null });
  if (opts.iterations !== undefined) {
    if (stages && stages.length > 0) throw conflict('iterations', 'stages');
    if (opts.scenarios !== undefined) throw conflict('iterations', 'scenarios');
    const sc: Obj = { executor: 'shared-iterations', vus: opts.vus ?? 1, iterations: opts.iterations };
    if (opts.duration !== undefined) sc.maxDuration = opts.duration;
    return only(sc);
  }
  if (opts.duration !== undefined) {
    if (stages && stages.length > 0) throw conflict('duration', 'stages');
    if (opts.scenarios !== undefined) throw conflict('duration', 'scenarios');
    if (parseDuration(opts.duration, 'options.duration', 's') <= 0)
      throw invalid('options.duration', 'must be more than 0', 'give a positive duration such as 30s');
    return only({ executor: 'constant-vus', vus: opts.vus ?? 1, duration: opts.duration });
  }
  if (stages && stages.length > 0) {
    if (opts.scenarios !== undefined) throw conflict('stages', 'scenarios');
    return only({ executor: 'ramping-vus', startVUs: opts.vus ?? 1, stages, gracefulStop: '30s' });
  }
  if (opts.vus !== undefined && stages === undefined) {
    // k6 2.x: vus alone is shared-iterations with as many iterations as VUs (1.x ignored it).
    const warning =
      opts.scenarios !== undefined ? `\`vus=${String(opts.vus)}\` overrides scenarios configuration` : null;
    return { scenarios: { default: { executor: 'shared-iterations', vus: opts.vus, iterations: opts.vus } }, warning };
  }
  const sc = opts.scenarios;
  if (typeof sc === 'object' && sc !== null && Object.keys(sc).length > 0)
    return { scenarios: sc as Obj, warning: null };
  let warning: string | null = null;
  if (stages) warning = '`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU';
  else if (sc !== undefined)
    warning = '`scenarios` was explicitly set to an empty value, running the script with 1 iteration in 1 VU';
  return { scenarios: { default: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } }, warning };
}

function invalid(at: string, what: string, fix: string): ToolkitError {
  return new ToolkitError('SCRIPT_INVALID', `${at} ${what}`, { fix, exitCode: K6_EXIT_CODE.invalidConfig });
}
