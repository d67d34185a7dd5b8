/**
 * The toolkit's one reader of the process environment. Entry points take the environment from here and
 * pass it down as a plain record; the settings the toolkit honours are parsed and validated once, here,
 * so a bad value is an error naming the variable, not a surprise deep inside a run.
 */
import { usageError } from '../errors.ts';

/** An environment as a record (the process's own, or one a test builds). */
export type Env = Record<string, string | undefined>;

/** The process's environment: the only place the toolkit reads it. */
export function processEnvironment(): Env {
  return process.env;
}

/** The variables the toolkit honours, typed; anything unset is undefined. */
export interface EnvSettings {
  /** PERFKIT_TARGET: the app to measure instead of the default target. */
  target: string | undefined;
  /** PERFKIT_ENGINE: builtin | k6 | auto. */
  engine: 'builtin' | 'k6' | 'auto' | undefined;
  /** PERFKIT_HTTP_TRANSPORT: how the built-in runner's VUs make plain-http requests. */
  httpTransport: 'auto' | 'vu' | 'shared' | undefined;
  /** PERFKIT_TURBOFAN: on | off forces V8's optimising compiler during many-VU runs. */
  turbofan: 'on' | 'off' | undefined;
  /** PERFKIT_CACHE_DIR: where built artefacts (the runner's socket addon) are kept. */
  cacheDir: string | undefined;
  /** K6_BIN: the real k6 binary. */
  k6Bin: string | undefined;
  /** CHROME_PATH: the browser binary. */
  chromePath: string | undefined;
  /** GITHUB_STEP_SUMMARY: a file the Markdown summary is appended to. */
  githubStepSummary: string | undefined;
}

/** Every variable the toolkit reads, for docs/config.md. */
export const ENV_VARIABLES: { name: string; description: string }[] = [
  { name: 'PERFKIT_TARGET', description: 'the app to measure instead of the default target (as --target)' },
  { name: 'PERFKIT_ENGINE', description: 'builtin | k6 | auto (as --engine)' },
  { name: 'PERFKIT_HTTP_TRANSPORT', description: "auto | vu | shared: the built-in runner's HTTP transport" },
  { name: 'PERFKIT_TURBOFAN', description: "on | off: force V8's optimising compiler during many-VU runs" },
  { name: 'PERFKIT_CACHE_DIR', description: 'where built artefacts and the set-up logs are kept' },
  { name: 'PERFKIT_LOGIN_EMAIL', description: 'the user the browser logs in as, when `auth` is configured' },
  { name: 'PERFKIT_LOGIN_PASSWORD', description: 'its password (never written to results or logs)' },
  { name: 'K6_BIN', description: 'the real k6 binary (else k6 on PATH)' },
  { name: 'CHROME_PATH', description: 'the browser binary (else chromium / chrome on PATH)' },
  { name: 'GITHUB_STEP_SUMMARY', description: 'a file the Markdown summary is appended to (GitHub Actions)' },
];

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`${name}=${value}: expected one of ${allowed.join(', ')}`, `set ${name}=${allowed[0]} or unset it`);
}

const text = (env: Env, name: string): string | undefined => (env[name] ? env[name] : undefined);

/** Parses the toolkit's variables out of an environment. */
export function envSettings(env: Env): EnvSettings {
  return {
    target: text(env, 'PERFKIT_TARGET'),
    engine: oneOf(env, 'PERFKIT_ENGINE', ['builtin', 'k6', 'auto'] as const),
    httpTransport: oneOf(env, 'PERFKIT_HTTP_TRANSPORT', ['auto', 'vu', 'shared'] as const),
    turbofan: oneOf(env, 'PERFKIT_TURBOFAN', ['on', 'off'] as const),
    cacheDir: text(env, 'PERFKIT_CACHE_DIR'),
    k6Bin: text(env, 'K6_BIN'),
    chromePath: text(env, 'CHROME_PATH'),
    githubStepSummary: text(env, 'GITHUB_STEP_SUMMARY'),
  };
}
