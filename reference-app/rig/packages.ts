/** The system packages the rig runs: the PostgreSQL server and redis-server always, nginx and pgbouncer when asked for. */
import type { SetupPurpose, SystemPackageSpec } from '../../toolkit/setup/index.ts';
import { findPostgresBinaries, findRedisServer } from './binaries.ts';
import { findNginx } from './nginx.ts';
import { findPgbouncer } from './pgbouncer.ts';

/** Which packages, and where to look (tests point the folders at empty ones). */
export interface RigPackageOptions {
  nginx?: boolean;
  pgbouncer?: boolean;
  /** Roots holding `<version>/bin` for PostgreSQL (default /usr/lib/postgresql). */
  versionRoots?: string[];
  /** Folders tried after PATH for redis-server, nginx and pgbouncer. */
  extraDirs?: string[];
}

/** The rig's packages as the set-up checks and installs them. */
export function rigPackages(options: RigPackageOptions = {}): SystemPackageSpec[] {
  const roots = options.versionRoots ? { versionRoots: options.versionRoots } : {};
  const dirs = options.extraDirs ? { extraDirs: options.extraDirs } : {};
  const edge = (name: 'nginx' | 'pgbouncer', find: typeof findNginx): SystemPackageSpec => ({
    name,
    debian: name,
    homebrew: name,
    find: (env) => find({ env, ...dirs }),
  });
  return [
    {
      name: 'postgresql',
      debian: 'postgresql',
      homebrew: 'postgresql@16',
      find: (env) => findPostgresBinaries({ env, ...roots }).binDir,
    },
    {
      name: 'redis-server',
      debian: 'redis-server',
      homebrew: 'redis',
      find: (env) => findRedisServer({ env, ...dirs }),
    },
    ...(options.nginx ? [edge('nginx', findNginx)] : []),
    ...(options.pgbouncer ? [edge('pgbouncer', findPgbouncer)] : []),
  ];
}

/** For `setup --for test|loadtest`: the test suite also runs the stack's nginx and pgbouncer (edge.test.ts). */
export const rigSetupPackages = (purpose: SetupPurpose): SystemPackageSpec[] =>
  rigPackages(purpose === 'test' ? { nginx: true, pgbouncer: true } : {});

/** What the rig's packages are, for the set-up's --help. */
export const RIG_PACKAGES_HELP =
  'the PostgreSQL server and redis-server of the reference rig (for the tests also nginx and pgbouncer)';
