/** `tsx scripts/setup.ts --for test|loadtest`: check (and if allowed install) the system packages. */
import { parseFlags } from '../cli/args.ts';
import { logger, type CliIo } from '../cli/io.ts';
import { EXIT, usageError } from '../errors.ts';
import { ensureVuSocketAddon } from '../runner/native/build.ts';
import { CHROMIUM, ensureSystemPackages, type SystemPackageSpec } from './packages.ts';

/** What a set-up is for: the test suite, or load tests. */
export type SetupPurpose = 'test' | 'loadtest';

/** What the repo adds to the set-up: the packages its target provider needs, per purpose, and a line saying which. */
export interface SetupOptions {
  packages?: (purpose: SetupPurpose) => SystemPackageSpec[];
  /** Names them for --help, e.g. "the PostgreSQL server binaries and redis-server". */
  describe?: string;
}

const help = (describe: string | undefined): string => `usage: tsx scripts/setup.ts --for test|loadtest [--quiet]

Checks for chromium${describe ? `, and for ${describe}` : ''}.
Missing ones are installed with apt-get when running as root or with passwordless sudo;
otherwise it fails naming what to install.
Then builds the built-in runner's vu-socket addon with the machine's C compiler (optional: without one
the runner falls back to its slower shared connection pool).`;

const FLAGS = {
  for: { type: 'string', default: 'test' },
  quiet: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** The set-up command. */
export async function runSetup(io: CliIo, options: SetupOptions = {}): Promise<number> {
  const HELP = help(options.describe);
  const { values, positionals } = parseFlags(io.argv, FLAGS, HELP);
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, HELP);
  if (values.for !== 'test' && values.for !== 'loadtest')
    throw usageError(`--for ${values.for}: expected test or loadtest`, HELP);
  const purpose: SetupPurpose = values.for;
  const log = logger(io, values.quiet);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const wanted = [CHROMIUM, ...(options.packages?.(purpose) ?? [])];
  const { packages, installed } = ensureSystemPackages({ packages: wanted, env: io.env, log, isRoot });
  const summary = packages.map((p) => `${p.name} (${p.found ?? 'missing'})`).join(', ');
  log(
    installed.length > 0
      ? `installed ${installed.map((p) => p.debian).join(' ')}; now present: ${summary}`
      : `system packages present: ${summary}`,
  );
  // Optional: the built-in runner's fast HTTP path. Without a C compiler it falls back, and says so.
  const addon = await ensureVuSocketAddon(io.env);
  if (addon.path === null)
    log(
      `vu-socket addon not built (${addon.reason}): the built-in runner will use its shared connection pool, which is slower`,
    );
  else if (addon.built) log(`built the vu-socket addon for the built-in runner (${addon.path})`);
  return EXIT.ok;
}
