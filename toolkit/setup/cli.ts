/** `tsx scripts/setup.ts --for test|loadtest`: check (and if allowed install) the system packages. */
import { parseFlags } from '../cli/args.ts';
import { logger, type CliIo } from '../cli/io.ts';
import { EXIT, usageError } from '../errors.ts';
import { ensureVuSocketAddon } from '../runner/native/build.ts';
import { ensureSystemPackages, type OptionalPackage, type SetupPurpose } from './packages.ts';

const HELP = `usage: tsx scripts/setup.ts --for test|loadtest [--quiet]

Checks for chromium, the PostgreSQL server binaries and redis-server (and, for the tests, nginx and
pgbouncer). Missing ones are installed with apt-get when running as root or with passwordless sudo;
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
export async function runSetup(io: CliIo): Promise<number> {
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
  // The test suite also runs the stack's nginx and pgbouncer (toolkit/stack/edge.test.ts); a load test asks for them per flag.
  const optional: OptionalPackage[] = purpose === 'test' ? ['nginx', 'pgbouncer'] : [];
  const { packages, installed } = ensureSystemPackages({ purpose, env: io.env, log, isRoot, optional });
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
