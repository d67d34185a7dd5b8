/** The `loadtest` command: flags and config → the pipeline → the verdict on stderr, the exit code. */
import path from 'node:path';
import { EXIT } from '../../errors.ts';
import type { CliIo } from '../io.ts';
import { exitCodeOf, interruptedLine } from '../../budgets/index.ts';
import type { TargetProvider } from '../../target/index.ts';
import { runPipeline, type LoadtestOutcome, type PackageInstaller, type ReportWriter } from '../../loadtest/index.ts';
import { beginRunRecord, sweepDeadRuns } from '../../process/leftovers.ts';
import { loadConfig } from './config.ts';
import { loadtestHelp, wantsHelp } from './flags.ts';

/** What the command is composed with besides its IO. */
export interface LoadtestOptions {
  /** The target when no --target is given, with its flags, config section and defaults (the repo: the reference rig). */
  defaultTarget?: TargetProvider;
  /** Checks and installs system packages (default: apt when allowed); tests record what was asked for. */
  installPackages?: PackageInstaller;
  /** Writes the report files (tests make the report stage fail with it). */
  writeReport?: ReportWriter;
}

/** The command's --help, with the provider's options and its defaults for the default profile. */
export function loadtestHelpFor(provider: TargetProvider | undefined): string {
  const of = (profile: 'default' | 'ci') =>
    provider?.configure({ flags: {}, section: undefined, scenarios: [], profile }).defaults;
  const defaults = of('default');
  return loadtestHelp(provider, {
    scenarios: defaults?.scenarios ?? [],
    budget: defaults?.budget,
    ciBudget: of('ci')?.budget,
  });
}

function printOutcome(io: CliIo, outcome: LoadtestOutcome, json: boolean, quiet: boolean, started: number): void {
  const { verdicts } = outcome;
  const failing = verdicts.verdicts.filter((v) => v.status === 'fail');
  const warning = verdicts.verdicts.filter((v) => v.status === 'warn');
  const reportPath = path.relative(io.cwd, path.join(outcome.runDir, 'index.html'));
  if (json)
    io.stdout.write(
      JSON.stringify({ runId: outcome.runId, outcome: verdicts.outcome, counts: verdicts.counts, report: reportPath }) +
        '\n',
    );
  if (quiet) return;
  const stopped = interruptedLine(verdicts);
  if (stopped) io.stderr.write(`\n${stopped}\n`);
  for (const f of outcome.results.meta.failedParts ?? []) io.stderr.write(`  ✗ part failed: ${f.part}: ${f.error}\n`);
  for (const v of [...failing, ...warning]) io.stderr.write(`  ${v.status === 'fail' ? '✗' : '!'} ${v.message}\n`);
  io.stderr.write(
    `\n${verdicts.outcome.toUpperCase()}: ${verdicts.counts.pass} passed, ${verdicts.counts.warn} warned, ${verdicts.counts.fail} failed, ${verdicts.counts.skip} skipped` +
      ` in ${((Date.now() - started) / 1000).toFixed(0)} s\nreport: ${reportPath}\n`,
  );
}

/** The loadtest command: exit 0 pass (warnings allowed), 1 a budget or a part failed, 2 usage, config or infrastructure error. */
export async function runLoadtest(io: CliIo, options: LoadtestOptions = {}): Promise<number> {
  if (wantsHelp(io.argv)) {
    io.stdout.write(loadtestHelpFor(options.defaultTarget) + '\n');
    return EXIT.ok;
  }
  const config = loadConfig(io.argv, io.env, io.cwd, options.defaultTarget);
  const started = Date.now();
  const log = (line: string): void => {
    if (config.quiet) return;
    const secs = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
    io.stderr.write(`[${secs}s] ${line}\n`);
  };
  // What an earlier run left when it was killed, then this run's own record of what it starts.
  await sweepDeadRuns(io.cwd, log);
  await options.defaultTarget?.sweep?.({ root: io.cwd, log });
  const record = beginRunRecord(io.cwd, 'loadtest');
  let outcome: LoadtestOutcome;
  try {
    outcome = await runPipeline({
      config,
      log,
      status: io.stderr,
      onRunDir: (dir) => record.setRunDir(dir),
      ...(io.signal ? { signal: io.signal } : {}),
      ...(options.writeReport ? { writeReport: options.writeReport } : {}),
      ...(options.installPackages ? { installPackages: options.installPackages } : {}),
    });
  } finally {
    record.end();
  }
  printOutcome(io, outcome, config.json, config.quiet, started);
  // A part that failed fails the run (exit 1) even where the budget has no entry for it.
  const partFailed = (outcome.results.meta.failedParts ?? []).length > 0;
  return Math.max(exitCodeOf(outcome.verdicts), partFailed ? EXIT.budgetFailed : EXIT.ok);
}
