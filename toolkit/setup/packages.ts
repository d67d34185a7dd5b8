/**
 * System packages: found on the machine, or installed with apt when we may
 * (root or passwordless sudo), or else one error saying exactly what to
 * install. The toolkit itself needs only Chromium (for Lighthouse and the
 * browser under load); a target provider names the packages it needs.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChrome } from '../browser/find-chrome.ts';
import { ToolkitError } from '../errors.ts';
import { which } from '../process/which.ts';
import { aptInstall, type CommandRunner, type ServiceDirs } from './apt.ts';

export type { CommandRunner };

export { findChrome };

/** A system package someone needs: how to find it and what it is called by each package manager. */
export interface SystemPackageSpec {
  name: string;
  debian: string;
  homebrew: string;
  /** Where it is installed; throws a ToolkitError when it is not. */
  find(env: Record<string, string | undefined>): string;
}

/** One system package and where it was found (undefined: missing). */
export interface SystemPackage {
  name: string;
  debian: string;
  homebrew: string;
  found: string | undefined;
}

/** Chromium, for Lighthouse and the browser under load. */
export const CHROMIUM: SystemPackageSpec = {
  name: 'chromium',
  debian: 'chromium',
  homebrew: '--cask chromium',
  find: (env) => findChrome(env),
};

function found(find: () => string): string | undefined {
  try {
    return find();
  } catch (err) {
    if (err instanceof ToolkitError) return undefined;
    throw err;
  }
}

/** Checks each package without installing anything. */
export function checkSystemPackages(
  packages: SystemPackageSpec[],
  env: Record<string, string | undefined>,
): SystemPackage[] {
  return packages.map((p) => ({
    name: p.name,
    debian: p.debian,
    homebrew: p.homebrew,
    found: found(() => p.find(env)),
  }));
}

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

/** What ensureSystemPackages needs. */
export interface EnsureOptions {
  packages: SystemPackageSpec[];
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  isRoot: boolean;
  run?: CommandRunner;
  /** Where apt's log goes (default: PERFKIT_CACHE_DIR or the temp folder, setup/apt-<time>.log). */
  logDir?: string;
  /** Tests point the service folders elsewhere. */
  serviceDirs?: ServiceDirs;
}

function aptLogFile(options: EnsureOptions): string {
  const dir = options.logDir ?? path.join(options.env.PERFKIT_CACHE_DIR || path.join(tmpdir(), 'perfkit'), 'setup');
  return path.join(dir, `apt-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
}

/**
 * Makes sure the packages are there: a no-op when they are (fast, nothing is spawned but what their finders
 * run), else apt (no recommends, output to a log file, services left off) when root or passwordless sudo,
 * else SYSTEM_PACKAGES_MISSING.
 */
export function ensureSystemPackages(options: EnsureOptions): {
  packages: SystemPackage[];
  installed: SystemPackage[];
  disabled: string[];
} {
  const packages = checkSystemPackages(options.packages, options.env);
  const missing = packages.filter((p) => !p.found);
  if (missing.length === 0) return { packages, installed: [], disabled: [] };
  const access = aptAccess(options.env, options.isRoot);
  if (!access) throw missingPackagesError(missing, 'not root, no passwordless sudo or no apt-get to install them');
  const names = [...new Set(missing.map((p) => p.debian))];
  const logFile = aptLogFile(options);
  const started = Date.now();
  options.log(`installing ${names.join(' ')} with apt-get${access === 'sudo' ? ' (sudo)' : ''} (log: ${logFile})…`);
  const outcome = aptInstall({
    names,
    sudo: access === 'sudo',
    env: options.env,
    log: options.log,
    logFile,
    ...(options.run ? { run: options.run } : {}),
    ...(options.serviceDirs ? { dirs: options.serviceDirs } : {}),
  });
  if (!outcome.ok) throw missingPackagesError(missing, `${outcome.failed} failed, see ${logFile}`);
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  options.log(`installed ${names.join(' ')} in ${secs} s`);
  for (const name of outcome.disabled)
    options.log(
      `${name} ships a system service: left disabled and stopped, as it was before (perfkit starts its own); ` +
        `\`systemctl enable --now ${name}\` turns it on`,
    );
  const after = checkSystemPackages(options.packages, options.env);
  const still = after.filter((p) => !p.found);
  if (still.length > 0) throw missingPackagesError(still, `still not found after apt-get install, see ${logFile}`);
  return { packages: after, installed: missing, disabled: outcome.disabled };
}
