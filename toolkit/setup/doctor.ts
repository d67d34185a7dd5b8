/**
 * `npm run doctor`: checks what the toolkit relies on (Chromium, k6, the
 * built-in runner's socket addon) plus whatever a target provider adds (the
 * reference rig: PostgreSQL, the replica, Redis) and says how to fix what is
 * missing. Exit 0 when every required check passes, else 2.
 */
import type { ParseArgsConfig } from 'node:util';
import { parseFlags, type FlagValues } from '../cli/args.ts';
import { logger, type CliIo } from '../cli/io.ts';
import { EXIT, ToolkitError, usageError } from '../errors.ts';
import { which } from '../process/which.ts';
import { sweepDeadRuns } from '../process/leftovers.ts';
import { ensureVuSocketAddon } from '../runner/native/build.ts';
import { findChrome } from './packages.ts';

/** One line of the doctor's table. */
export interface Check {
  name: string;
  required: boolean;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** Checks a target provider adds to the doctor, with the flags they take. */
export interface DoctorSection {
  flags?: NonNullable<ParseArgsConfig['options']>;
  /** Usage lines for those flags and what the checks cover. */
  help?: string;
  checks(io: CliIo, flags: FlagValues, log: (line: string) => void): Promise<Check[]>;
}

/** What the repo plugs into the doctor. */
export interface DoctorOptions {
  sections?: DoctorSection[];
}

const BASE_FLAGS = {
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

const help = (sections: DoctorSection[]): string =>
  [
    'usage: npm run doctor -- [--json]',
    '',
    'Checks Chromium, k6 (optional) and the socket addon of the built-in runner (optional).',
    ...sections.flatMap((s) => (s.help ? [s.help] : [])),
  ].join('\n');

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A finder as a check: found (with its version when asked) or failed with the finder's fix. */
export async function probeCheck(
  name: string,
  find: () => string,
  version?: (path: string) => Promise<string>,
): Promise<Check> {
  try {
    const path = find();
    const v = version ? await version(path) : '';
    return { name, required: true, ok: true, detail: v ? `${v} (${path})` : path };
  } catch (err) {
    const fix = err instanceof ToolkitError ? err.fix : undefined;
    return { name, required: true, ok: false, detail: message(err), ...(fix ? { fix } : {}) };
  }
}

async function toolkitChecks(env: Record<string, string | undefined>): Promise<Check[]> {
  const k6 = env.K6_BIN || which('k6', env);
  const checks: Check[] = [
    await probeCheck('chromium', () => findChrome(env)),
    { name: 'k6', required: false, ok: true, detail: k6 ?? 'not found: the built-in runner will be used (optional)' },
  ];
  const addon = await ensureVuSocketAddon(env);
  checks.push(
    addon.path !== null
      ? {
          name: 'vu sockets',
          required: false,
          ok: true,
          detail: `built-in runner VUs use their own sockets (${addon.path})`,
        }
      : {
          name: 'vu sockets',
          required: false,
          ok: false,
          detail: `${addon.reason}: the built-in runner falls back to its shared pool (slower)`,
          fix: 'apt-get install gcc (or set CC and NODE_INCLUDE_DIR)',
        },
  );
  return checks;
}

/** Renders the checks as a table with a fix line under each failure. */
export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => {
    const status = c.ok ? (c.required ? 'ok' : 'info') : c.required ? 'FAIL' : 'warn';
    const row = `${c.name.padEnd(width)}  ${status.padEnd(4)}  ${c.detail}`;
    return !c.ok && c.fix ? `${row}\n${' '.repeat(width + 8)}fix: ${c.fix}` : row;
  });
  return lines.join('\n') + '\n';
}

/** The doctor command. */
export async function runDoctor(io: CliIo, options: DoctorOptions = {}): Promise<number> {
  const sections = options.sections ?? [];
  const HELP = help(sections);
  const flags = Object.assign({}, ...sections.map((s) => s.flags ?? {}), BASE_FLAGS) as typeof BASE_FLAGS;
  const { values, positionals } = parseFlags(io.argv, flags, HELP);
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, HELP);
  const log = logger(io, values.quiet || values.json);
  // Processes and folders of runs that were killed: stopped and removed, one line each.
  await sweepDeadRuns(io.cwd, (line) => io.stderr.write(line + '\n'));
  const checks = await toolkitChecks(io.env);
  for (const section of sections) checks.push(...(await section.checks(io, values as FlagValues, log)));
  const ok = checks.every((c) => c.ok || !c.required);
  io.stdout.write(values.json ? JSON.stringify({ ok, checks }) + '\n' : formatChecks(checks));
  if (!values.json) log(ok ? 'everything required is in place' : 'some required checks failed (see the fixes above)');
  return ok ? EXIT.ok : EXIT.error;
}
