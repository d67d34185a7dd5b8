/**
 * Resolves one loadtest run's configuration: defaults (the toolkit's, and
 * those the default target's provider brings for the profile) → config file →
 * env → flags. With --target the provider is not started and its flags are refused.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../../errors.ts';
import {
  assertLoopback,
  type ConfiguredProvider,
  type Profile,
  type ProfileDefaults,
  type TargetAuth,
  type TargetPage,
  type TargetProvider,
} from '../../target/index.ts';
import type { LoadtestConfig } from '../../loadtest/types.ts';
import { envSettings } from '../config.ts';
import { readFileConfig, type FileConfig } from './config-file.ts';
import { genericDefaults } from './generic.ts';
import { parseLoadtestArgs, refuseProviderFlags, type LoadtestFlags } from './flags.ts';

/**
 * Lighthouse runs per page and preset: budgets judge the per-figure median. Lighthouse's own guidance:
 * the median of 5 runs is about twice as stable as 1 run; 3 keeps the CI gate quick.
 */
const LIGHTHOUSE_RUNS: Record<Profile, number> = { default: 5, ci: 3 };

/** Without a provider: a URL target's home page, nothing else assumed. */
const TOOLKIT_PAGES: TargetPage[] = [{ name: 'home', path: '/', auth: false }];

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

/** The budget of an --import-k6 run unless one is given: any app's limits, not the reference app's. */
const IMPORT_BUDGET = 'budgets/generic.json';

/** A single chosen scenario's own budget (budgets/<scenario>.json), when there is one: the default budget judges the default mix. */
function scenarioBudget(cwd: string, scenarios: string[]): string | undefined {
  if (scenarios.length !== 1) return undefined;
  const file = path.join('budgets', `${path.basename(scenarios[0] ?? '').replace(/\.(ts|js)$/, '')}.json`);
  return existsSync(path.resolve(cwd, file)) ? file : undefined;
}

/** The target URL and where it came from; refuses non-loopback hosts and provider flags it would ignore. */
function resolveTarget(
  flags: LoadtestFlags,
  env: Record<string, string | undefined>,
  file: FileConfig,
  configPath: string,
): { url: string | undefined; from: string } {
  const fromEnv = envSettings(env).target;
  const url = flags.target ?? fromEnv ?? file.target;
  const from = flags.target ? '--target' : fromEnv ? 'PERFKIT_TARGET' : configPath;
  if (url !== undefined) assertLoopback(url, from);
  return { url, from };
}

/** Scenarios and budget: flags, then the config file, then the defaults; a run that generates load needs both. */
function scenariosAndBudget(
  cwd: string,
  flags: LoadtestFlags,
  file: FileConfig,
  chosen: { flags: string[]; user: string[] },
  defaults: ProfileDefaults | undefined,
): { scenarios: string[]; budgetPath: string } {
  const imported = (flags['import-k6'] ?? []).length > 0;
  const scenarios = chosen.user.length ? chosen.user : (defaults?.scenarios ?? []);
  if (scenarios.length === 0 && !imported)
    throw usageError('no scenario to run', 'name one with --scenario NAME (a file in scenarios/ or a k6 script path)');
  if (flags.script !== undefined && !imported)
    throw usageError('--script FILE goes with --import-k6', 'add --import-k6 a.ndjson,b.ndjson, or drop --script');
  // An import is not the default target: it is judged by the generic budget unless one is given.
  const budget =
    flags.budget ?? file.budget ?? (imported ? IMPORT_BUDGET : (scenarioBudget(cwd, chosen.flags) ?? defaults?.budget));
  if (budget === undefined) throw usageError('no budget to judge the run by', 'give one with --budget FILE');
  return { scenarios, budgetPath: path.resolve(cwd, budget) };
}

export type { LoadtestConfig } from '../../loadtest/types.ts';

/** Resolves the run's configuration; `provider` is the default target's (the repo plugs in the reference rig). */
export function loadConfig(
  argv: string[],
  env: Record<string, string | undefined>,
  cwd: string,
  provider?: TargetProvider,
): LoadtestConfig {
  const { flags, providerFlags } = parseLoadtestArgs(argv, provider);
  const ci = Boolean(flags.ci);
  const profile: Profile = ci ? 'ci' : 'default';
  const configPath = path.resolve(cwd, flags.config ?? 'perfkit.config.json');
  const { file, section } = readFileConfig(configPath, flags.config !== undefined, provider);
  const settings = envSettings(env);
  const engine = flags.engine ?? settings.engine ?? file.engine ?? 'auto';
  if (engine !== 'builtin' && engine !== 'k6' && engine !== 'auto')
    throw usageError(`--engine ${flags.engine}: expected builtin, k6 or auto`);
  const httpTransport = flags['http-transport'] ?? settings.httpTransport ?? file.httpTransport ?? 'auto';
  if (httpTransport !== 'auto' && httpTransport !== 'vu' && httpTransport !== 'shared')
    throw usageError(`--http-transport ${httpTransport}: expected auto, vu or shared`);
  const target = resolveTarget(flags, env, file, configPath);
  if (target.url !== undefined && provider) refuseProviderFlags(provider, providerFlags, target.from);
  const chosen = (flags.scenario ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const userScenarios = chosen.length ? chosen : (file.scenarios ?? []);
  const configured = provider?.configure({
    flags: target.url === undefined ? providerFlags : {},
    section,
    scenarios: userScenarios,
    profile,
  });
  const imported = (flags['import-k6'] ?? []).length > 0;
  if (target.url === undefined && !configured && !imported)
    throw usageError('no target to measure', 'give the URL of a running app with --target URL');
  // A URL target is not the provider's app: the generic scenarios, budget and pages, none of its defaults.
  const auth = fileAuth(file, env, configPath);
  const pages = filePages(file, auth !== undefined);
  const defaults =
    target.url !== undefined || !configured
      ? genericDefaults(profile, pages ?? TOOLKIT_PAGES)
      : { ...configured.defaults, ...(pages ? { pages } : {}) };
  return {
    ...resolveRest(cwd, env, flags, file, defaults),
    ...scenariosAndBudget(cwd, flags, file, { flags: chosen, user: userScenarios }, defaults),
    target: target.url,
    provider: target.url === undefined && !imported ? configured : undefined,
    providerName: target.url === undefined && !imported ? provider?.name : undefined,
    auth: auth ?? (target.url === undefined ? configured?.defaults.auth : undefined),
    engine,
    httpTransport,
    ci,
    ...browserSettings(flags, file, profile, configured, defaults.pages, target.url !== undefined),
  };
}

/** The config file's pages: paths or {name, path, auth}; pages log in by default when `auth` is set. */
function filePages(file: FileConfig, withAuth: boolean): TargetPage[] | undefined {
  return file.pages?.map((p) =>
    typeof p === 'string'
      ? { name: p === '/' ? 'home' : p.replace(/^\/+|\/+$/g, '').replace(/\//g, '-'), path: p, auth: withAuth }
      : { ...p, auth: p.auth ?? withAuth },
  );
}

/** The config file's login: the form and its fields from the file, the credentials from the environment. */
function fileAuth(
  file: FileConfig,
  env: Record<string, string | undefined>,
  configPath: string,
): TargetAuth | undefined {
  if (!file.auth) return undefined;
  const read = (name: string, key: string): string => {
    const value = env[name];
    if (!value)
      throw usageError(
        `${configPath}#/auth: ${name} is not set (the ${key} to log in with)`,
        `set ${name} in the environment, or name another variable with "auth": { "${key}Env": "…" }`,
      );
    return value;
  };
  return {
    email: read(file.auth.emailEnv ?? 'PERFKIT_LOGIN_EMAIL', 'email'),
    password: read(file.auth.passwordEnv ?? 'PERFKIT_LOGIN_PASSWORD', 'password'),
    loginPath: file.auth.loginPath,
    ...(file.auth.fields ? { fields: file.auth.fields } : {}),
  };
}

/** Lighthouse and the browser under load: on unless switched off, on the provider's pages unless the file names others. */
function browserSettings(
  flags: LoadtestFlags,
  file: FileConfig,
  profile: Profile,
  configured: ConfiguredProvider | undefined,
  pages: TargetPage[],
  hasTarget: boolean,
): Pick<LoadtestConfig, 'lighthouse' | 'browserUnderLoad'> {
  const lh = file.lighthouse ?? {};
  return {
    browserUnderLoad: {
      enabled:
        !flags['no-browser-under-load'] &&
        (hasTarget || configured?.browserUnderLoad !== false) &&
        file.browserUnderLoad?.enabled !== false,
      intervalMs: file.browserUnderLoad?.intervalMs ?? 3000,
    },
    lighthouse: {
      enabled: !flags['no-lighthouse'] && lh.enabled !== false,
      runs: positiveInt(flags['lighthouse-runs'], '--lighthouse-runs') ?? lh.runs ?? LIGHTHOUSE_RUNS[profile],
      presets: lh.presets ?? ['mobile'],
      pages: (lh.pages ?? pages).map((p) => ({ ...p, auth: p.auth ?? false })),
    },
  };
}

/** The settings that need no provider: env, output, bundle, logging, imports. */
function resolveRest(
  cwd: string,
  env: Record<string, string | undefined>,
  flags: LoadtestFlags,
  file: FileConfig,
  defaults: ProfileDefaults | undefined,
) {
  return {
    root: cwd,
    baselinePath: flags.baseline ?? file.baseline,
    baselineAny: Boolean(flags['baseline-any']),
    env: { ...defaults?.env, ...file.env, ...parseEnvPairs(flags.env ?? []) },
    outDir: path.resolve(cwd, flags.out ?? file.outDir ?? 'reports'),
    bundle: {
      enabled: !flags['no-bundle'] && file.bundle?.enabled !== false,
      statsPath: flags['bundle-stats'] ?? file.bundle?.stats,
    },
    json: Boolean(flags.json),
    quiet: Boolean(flags.quiet),
    debug: Boolean(flags.debug),
    processEnv: env,
    githubStepSummary: envSettings(env).githubStepSummary,
    importNdjson: (flags['import-k6'] ?? [])
      .flatMap((s) => s.split(','))
      .filter(Boolean)
      .map((f) => path.resolve(cwd, f)),
    importSummaryExport: flags['import-summary-export'] ? path.resolve(cwd, flags['import-summary-export']) : undefined,
    importScript: flags.script ? path.resolve(cwd, flags.script) : undefined,
  };
}
