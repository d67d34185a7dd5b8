/**
 * Finds the PostgreSQL and Redis server binaries installed on the machine:
 * PATH first, then `pg_config --bindir`, then Debian's /usr/lib/postgresql/<v>/bin
 * (newest version first). A miss is one readable error naming the packages.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ToolkitError } from '../../toolkit/errors.ts';
import { isExecutable, which } from '../../toolkit/process/which.ts';

/** Where the PostgreSQL server tools live. */
export interface PostgresBinaries {
  binDir: string;
  initdb: string;
  pgCtl: string;
  pgBasebackup: string;
  postgres: string;
}

/** Options for tests: an env (PATH) and the roots searched for versioned installs. */
export interface FindOptions {
  env?: Record<string, string | undefined>;
  /** Folders holding `<version>/bin` (default: /usr/lib/postgresql). */
  versionRoots?: string[];
  /** Folders tried after PATH for redis-server (default: the usual system and Homebrew bins). */
  extraDirs?: string[];
}

const PG_TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'] as const;

function hasPgTools(dir: string): boolean {
  return PG_TOOLS.every((tool) => isExecutable(join(dir, tool)));
}

function pgConfigBinDir(env: Record<string, string | undefined>): string | undefined {
  const pgConfig = which('pg_config', env);
  if (!pgConfig) return undefined;
  try {
    return execFileSync(pgConfig, ['--bindir'], {
      encoding: 'utf8',
      env: { PATH: env.PATH ?? '' },
      timeout: 5000,
    }).trim();
  } catch {
    return undefined;
  }
}

function versionedBinDirs(roots: string[]): string[] {
  const dirs: string[] = [];
  for (const root of roots) {
    let versions: string[] = [];
    try {
      versions = readdirSync(root);
    } catch {
      continue;
    }
    versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    dirs.push(...versions.map((v) => join(root, v, 'bin')));
  }
  return dirs;
}

/** Finds initdb, pg_ctl, pg_basebackup and postgres in one folder, or throws BINARY_MISSING. */
export function findPostgresBinaries(options: FindOptions = {}): PostgresBinaries {
  const env = options.env ?? {};
  const initdbOnPath = which('initdb', env);
  const candidates = [
    initdbOnPath ? join(initdbOnPath, '..') : undefined,
    pgConfigBinDir(env),
    ...versionedBinDirs(options.versionRoots ?? ['/usr/lib/postgresql']),
  ];
  const binDir = candidates.find((dir): dir is string => dir !== undefined && hasPgTools(dir));
  if (!binDir) {
    throw new ToolkitError(
      'BINARY_MISSING',
      `PostgreSQL server binaries (${PG_TOOLS.join(', ')}) not found on PATH, in \`pg_config --bindir\` or in /usr/lib/postgresql/*/bin`,
      {
        fix: 'install the PostgreSQL server: Debian/Ubuntu `apt-get install postgresql`, macOS `brew install postgresql@16`; or set DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL to use servers you run yourself',
      },
    );
  }
  return postgresBinariesIn(binDir);
}

/** The PostgreSQL tools of a bin folder (already checked, e.g. recorded in a stack's state). */
export function postgresBinariesIn(binDir: string): PostgresBinaries {
  return {
    binDir,
    initdb: join(binDir, 'initdb'),
    pgCtl: join(binDir, 'pg_ctl'),
    pgBasebackup: join(binDir, 'pg_basebackup'),
    postgres: join(binDir, 'postgres'),
  };
}

/** Finds redis-server on PATH (or /usr/bin, /usr/local/bin, /opt/homebrew/bin), or throws BINARY_MISSING. */
export function findRedisServer(options: FindOptions = {}): string {
  const env = options.env ?? {};
  const found = which('redis-server', env);
  if (found) return found;
  for (const dir of options.extraDirs ?? ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin']) {
    if (isExecutable(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  throw new ToolkitError('BINARY_MISSING', 'redis-server not found on PATH', {
    fix: 'install Redis: Debian/Ubuntu `apt-get install redis-server`, macOS `brew install redis`; or set REDIS_URL (with DATABASE_URL and DATABASE_REPLICA_URL) to use servers you run yourself',
  });
}
