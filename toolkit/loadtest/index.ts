/** `npm run loadtest`: the whole measurement pipeline, ending in budgets' verdict and a report. */
import path from 'node:path';
import { EXIT } from '../errors.ts';
import type { CliIo } from '../cli/io.ts';
import { exitCodeOf } from '../budgets/index.ts';
import { HELP, loadConfig, wantsHelp } from './config.ts';
import { runPipeline } from './pipeline.ts';
import type { ReportWriter } from './stages.ts';

export { loadConfig, PROFILES, HELP } from './config.ts';
export type { LoadtestConfig } from './config.ts';
export { runPipeline } from './pipeline.ts';
export type { LoadtestOutcome, PipelineContext } from './pipeline.ts';
export type { ReportWriter } from './stages.ts';

/** What the command is composed with besides its IO. */
export interface LoadtestOptions {
  /** Writes the report files (tests make the report stage fail with it). */
  writeReport?: ReportWriter;
}

/** The loadtest command: exit 0 pass (warnings allowed), 1 a budget failed, 2 usage, config or infrastructure error. */
export async function runLoadtest(io: CliIo, options: LoadtestOptions = {}): Promise<number> {
  if (wantsHelp(io.argv)) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  const config = loadConfig(io.argv, io.env, io.cwd);
  const started = Date.now();
  const log = (line: string): void => {
    if (config.quiet) return;
    const secs = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
    io.stderr.write(`[${secs}s] ${line}\n`);
  };
  const outcome = await runPipeline({
    config,
    log,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(options.writeReport ? { writeReport: options.writeReport } : {}),
  });
  const { verdicts } = outcome;
  const failing = verdicts.verdicts.filter((v) => v.status === 'fail');
  const warning = verdicts.verdicts.filter((v) => v.status === 'warn');
  const reportPath = path.relative(io.cwd, path.join(outcome.runDir, 'index.html'));
  if (config.json)
    io.stdout.write(
      JSON.stringify({ runId: outcome.runId, outcome: verdicts.outcome, counts: verdicts.counts, report: reportPath }) +
        '\n',
    );
  if (!config.quiet) {
    for (const v of [...failing, ...warning]) io.stderr.write(`  ${v.status === 'fail' ? '✗' : '!'} ${v.message}\n`);
    io.stderr.write(
      `\n${verdicts.outcome.toUpperCase()}: ${verdicts.counts.pass} passed, ${verdicts.counts.warn} warned, ${verdicts.counts.fail} failed, ${verdicts.counts.skip} skipped` +
        ` in ${((Date.now() - started) / 1000).toFixed(0)} s\nreport: ${reportPath}\n`,
    );
  }
  return exitCodeOf(verdicts);
}
