/** `tsx scripts/setup.ts --for test|loadtest`: check (and if allowed install) the system packages. */
import { parseFlags } from '../cli/args.ts';
import { logger, type CliIo } from '../cli/io.ts';
import { EXIT, usageError } from '../errors.ts';
import { ensureSystemPackages, type SetupPurpose } from './packages.ts';

const HELP = `usage: tsx scripts/setup.ts --for test|loadtest [--quiet]

Checks for chromium, the PostgreSQL server binaries and redis-server. Missing ones are installed
with apt-get when running as root or with passwordless sudo; otherwise it fails naming what to install.`;

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
  if (values.for !== 'test' && values.for !== 'loadtest') throw usageError(`--for ${values.for}: expected test or loadtest`, HELP);
  const purpose: SetupPurpose = values.for;
  const log = logger(io, values.quiet);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const { packages, installed } = ensureSystemPackages({ purpose, env: io.env, log, isRoot });
  const summary = packages.map((p) => `${p.name} (${p.found ?? 'missing'})`).join(', ');
  log(installed.length > 0 ? `installed ${installed.map((p) => p.debian).join(' ')}; now present: ${summary}` : `system packages present: ${summary}`);
  return EXIT.ok;
}
