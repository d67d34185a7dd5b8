/**
 * A script's thresholds as k6 itself reads them (`k6 inspect`: the options after the script's init code
 * ran, abortOnFail objects and tagged sub-metrics included), for runs where k6 wrote no summary export.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ToolkitError } from '../errors.ts';

const run = promisify(execFile);

/** options.thresholds of `script` per `k6 inspect` (extra args, e.g. -e KEY=VALUE, before the script). */
export async function k6ScriptThresholds(
  bin: string,
  script: string,
  cwd: string,
  env: Record<string, string | undefined>,
  extraArgs: string[] = [],
): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await run(bin, ['inspect', ...extraArgs, script], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 60_000,
    });
    const parsed = JSON.parse(stdout) as { thresholds?: Record<string, unknown> | null };
    return parsed.thresholds ?? {};
  } catch (err) {
    throw new ToolkitError('SCRIPT_INVALID', `k6 inspect ${script} failed: ${(err as Error).message.split('\n')[0]}`, {
      fix: 'run `k6 inspect` on the script to see the error',
      cause: err,
    });
  }
}
