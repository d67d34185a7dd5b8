/**
 * The `perfkit` command: one entry point for every subcommand. What runs behind the default target (the
 * repo plugs in the reference rig, with its doctor checks, set-up packages and `stack`) is composed in by
 * the caller; the installed package runs without one (`--target URL` or the config file's target).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runBudgets } from '../budgets/cli.ts';
import { EXIT, usageError } from '../errors.ts';
import { runLighthouseCli } from '../lighthouse/cli.ts';
import { runReport } from '../report/cli.ts';
import { runSetup, type SetupOptions } from '../setup/cli.ts';
import { runDoctor, type DoctorOptions } from '../setup/doctor.ts';
import type { TargetProvider } from '../target/index.ts';
import { runInit } from './init.ts';
import type { Command, CliIo } from './io.ts';
import { runK6Cli } from './k6-run.ts';
import { runLoadtest } from './loadtest/command.ts';
import { packageRoot } from './loadtest/generic.ts';

/** What the caller plugs in. */
export interface PerfkitOptions {
  defaultTarget?: TargetProvider;
  doctor?: DoctorOptions;
  setup?: SetupOptions;
  /** `perfkit stack`: the default target's own stack command, when it has one. */
  stack?: Command;
}

export const PERFKIT_HELP = `Usage: perfkit <command> [options]

Commands:
  loadtest        the whole pipeline: load + browser + Lighthouse + bundle → results → budgets → report
                  (perfkit loadtest --target http://127.0.0.1:3000 needs no config)
  run SCRIPT      run one k6 script like \`k6 run\` (same flags and exit codes)
  budgets check   judge saved results against a budget (--results FILE --budget FILE)
  report          rebuild a report from saved results (--from reports/<run>/results.json)
  lighthouse      Lighthouse alone (--url URL)
  doctor          check what the commands need (Chromium, k6, …) and how to fix what is missing
  init            write perfkit.config.json, perf/smoke.ts, perf/load.ts and perf/budget.json for an app
  setup           install the system packages the commands need (apt, when allowed)
  stack           the reference app's private stack (in the perfkit repository)

\`perfkit <command> --help\` for each command's options. Every config key, flag and environment variable:
docs/config.md in the perfkit package.`;

function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** Runs one subcommand; argv[0] names it. */
export async function runPerfkit(io: CliIo, options: PerfkitOptions = {}): Promise<number> {
  const [command, ...rest] = io.argv;
  const sub: CliIo = { ...io, argv: rest };
  switch (command) {
    case 'loadtest':
      return runLoadtest(sub, options.defaultTarget ? { defaultTarget: options.defaultTarget } : {});
    case 'run':
      return runK6Cli(io);
    case 'budgets':
      return runBudgets(sub);
    case 'report':
      return runReport(sub);
    case 'lighthouse':
      return runLighthouseCli(sub);
    case 'doctor':
      return runDoctor(sub, options.doctor);
    case 'setup':
      return runSetup(sub, options.setup);
    case 'init':
      return runInit(sub);
    case 'stack':
      if (options.stack) return options.stack(sub);
      throw usageError(
        '`perfkit stack` runs the reference app, which is not part of an installed perfkit',
        'measure your own app with `perfkit loadtest --target URL`, or clone the perfkit repository for the reference app',
      );
    case '--version':
    case '-v':
      io.stdout.write(version() + '\n');
      return EXIT.ok;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(PERFKIT_HELP + '\n');
      return EXIT.ok;
    default:
      throw usageError(`unknown command "${command}"`, 'run `perfkit --help` for the commands');
  }
}
