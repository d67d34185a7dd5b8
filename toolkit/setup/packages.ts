/**
 * The system packages the toolkit needs (Chromium, the PostgreSQL server,
 * redis-server): found on the machine, or installed with apt when we may
 * (root or passwordless sudo), or else one error saying exactly what to install.
 */
import { spawnSync } from 'node:child_process';
import { findChrome } from '../browser/find-chrome.ts';
import { ToolkitError } from '../errors.ts';
import { findPostgresBinaries, findRedisServer } from '../../reference-app/rig/binaries.ts';
import { which } from '../process/which.ts';
import { findNginx } from '../../reference-app/rig/nginx.ts';
import { findPgbouncer } from '../../reference-app/rig/pgbouncer.ts';

export { findChrome };

/** What a set-up is for; both need the same packages today. */
export type SetupPurpose = 'test' | 'loadtest';

/** One system package: how to find it and what it is called by each package manager. */
export interface SystemPackage {
  name: string;
  debian: string;
  homebrew: string;
  /** Where it was found, or undefined. */
  found: string | undefined;
}

/** Where to look; tests point these at empty folders. */
export interface SetupOptions {
  env: Record<string, string | undefined>;
  /** Roots holding `<version>/bin` for PostgreSQL (default /usr/lib/postgresql). */
  versionRoots?: string[];
  /** Extra folders tried for redis-server (and nginx, pgbouncer) after PATH. */
  extraDirs?: string[];
  /** Packages needed only for a feature that was asked for (`--nginx`, `--pgbouncer`). */
  optional?: OptionalPackage[];
}

/** System packages only some runs need. */
export type OptionalPackage = 'nginx' | 'pgbouncer';

function found(find: () => string): string | undefined {
  try {
    return find();
  } catch (err) {
    if (err instanceof ToolkitError) return undefined;
    throw err;
  }
}

/** Checks each needed package without installing anything. */
export function checkSystemPackages(_purpose: SetupPurpose, options: SetupOptions): SystemPackage[] {
  const { env } = options;
  return [
    { name: 'chromium', debian: 'chromium', homebrew: '--cask chromium', found: found(() => findChrome(env)) },
    {
      name: 'postgresql',
      debian: 'postgresql',
      homebrew: 'postgresql@16',
      found: found(
        () =>
          findPostgresBinaries({ env, ...(options.versionRoots ? { versionRoots: options.versionRoots } : {}) }).binDir,
      ),
    },
    {
      name: 'redis-server',
      debian: 'redis-server',
      homebrew: 'redis',
      found: found(() => findRedisServer({ env, ...(options.extraDirs ? { extraDirs: options.extraDirs } : {}) })),
    },
    ...(options.optional ?? []).map((name) => {
      const where = { env, ...(options.extraDirs ? { extraDirs: options.extraDirs } : {}) };
      return {
        name,
        debian: name,
        homebrew: name,
        found: found(() => (name === 'nginx' ? findNginx(where) : findPgbouncer(where))),
      };
    }),
  ];
}

/** Runs a command (its output goes to our stderr); returns its exit code. Replaceable in tests. */
export type CommandRunner = (command: string, args: string[]) => number;

const runner =
  (env: Record<string, string | undefined>): CommandRunner =>
  (command, args) =>
    spawnSync(command, args, { stdio: ['ignore', 2, 2], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } }).status ??
    1;

/** How apt can be run here: directly as root, through passwordless sudo, or not at all. */
export function aptAccess(env: Record<string, string | undefined>, isRoot: boolean): 'root' | 'sudo' | undefined {
  if (!which('apt-get', env)) return undefined;
  if (isRoot) return 'root';
  if (!which('sudo', env)) return undefined;
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? 'sudo' : undefined;
}

/** The error for packages we could not install ourselves. */
export function missingPackagesError(missing: SystemPackage[], why: string): ToolkitError {
  const names = missing.map((p) => p.name).join(', ');
  const fixes = [
    `Debian/Ubuntu: sudo apt-get install -y ${missing.map((p) => p.debian).join(' ')}`,
    `macOS: ${missing.map((p) => `brew install ${p.homebrew}`).join(' && ')}`,
  ];
  if (missing.some((p) => p.name === 'chromium')) {
    fixes.push('browser only: `npx puppeteer browsers install chrome`, then set CHROME_PATH to the printed path');
  }
  return new ToolkitError('SYSTEM_PACKAGES_MISSING', `missing system packages: ${names} (${why})`, {
    fix: fixes.join('\n       '),
  });
}

/** What ensureSystemPackages needs beyond where to look. */
export interface EnsureOptions extends SetupOptions {
  purpose: SetupPurpose;
  log: (line: string) => void;
  isRoot: boolean;
  run?: CommandRunner;
}

/**
 * Makes sure the packages are there: a no-op when they are (fast, nothing is
 * spawned except `pg_config`), else `apt-get update` once and
 * `apt-get install -y …` when root or passwordless sudo, else SYSTEM_PACKAGES_MISSING.
 */
export function ensureSystemPackages(options: EnsureOptions): {
  packages: SystemPackage[];
  installed: SystemPackage[];
} {
  const packages = checkSystemPackages(options.purpose, options);
  const missing = packages.filter((p) => !p.found);
  if (missing.length === 0) return { packages, installed: [] };
  const access = aptAccess(options.env, options.isRoot);
  if (!access) throw missingPackagesError(missing, 'not root, no passwordless sudo or no apt-get to install them');
  const run = options.run ?? runner(options.env);
  const apt = (args: string[]): number =>
    access === 'sudo' ? run('sudo', ['-n', 'apt-get', ...args]) : run('apt-get', args);
  const names = missing.map((p) => p.debian);
  options.log(`installing ${names.join(' ')} with apt-get${access === 'sudo' ? ' (sudo)' : ''}…`);
  if (apt(['update']) !== 0) throw missingPackagesError(missing, '`apt-get update` failed');
  if (apt(['install', '-y', ...names]) !== 0) throw missingPackagesError(missing, '`apt-get install` failed');
  const after = checkSystemPackages(options.purpose, options);
  const still = after.filter((p) => !p.found);
  if (still.length > 0) throw missingPackagesError(still, 'still not found after apt-get install');
  return { packages: after, installed: missing };
}
