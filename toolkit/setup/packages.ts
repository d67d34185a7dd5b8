/**
 * System packages: found on the machine, or installed with apt when we may
 * (root or passwordless sudo), or else one error saying exactly what to
 * install. The toolkit itself needs only Chromium (for Lighthouse and the
 * browser under load); a target provider names the packages it needs.
 */
import { spawnSync } from 'node:child_process';
import { findChrome } from '../browser/find-chrome.ts';
import { ToolkitError } from '../errors.ts';
import { which } from '../process/which.ts';

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

/** What ensureSystemPackages needs. */
export interface EnsureOptions {
  packages: SystemPackageSpec[];
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  isRoot: boolean;
  run?: CommandRunner;
}

/**
 * Makes sure the packages are there: a no-op when they are (fast, nothing is
 * spawned but what their finders run), else `apt-get update` once and
 * `apt-get install -y …` when root or passwordless sudo, else SYSTEM_PACKAGES_MISSING.
 */
export function ensureSystemPackages(options: EnsureOptions): {
  packages: SystemPackage[];
  installed: SystemPackage[];
} {
  const packages = checkSystemPackages(options.packages, options.env);
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
  const after = checkSystemPackages(options.packages, options.env);
  const still = after.filter((p) => !p.found);
  if (still.length > 0) throw missingPackagesError(still, 'still not found after apt-get install');
  return { packages: after, installed: missing };
}
