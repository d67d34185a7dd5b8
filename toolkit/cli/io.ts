import { processEnvironment } from './config.ts';
import { formatError, interruptedError, ToolkitError, EXIT } from '../errors.ts';
import { formatLog, K6_EXIT_CODE } from '../k6-core/index.ts';

/** What every command's `run` receives, so tests can call it in-process with their own streams and env. */
export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** The terminal to ask questions on (perfkit init); absent in tests and pipes. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly when it fires. */
  signal?: AbortSignal;
}

/** A command: takes its IO, returns its exit code. */
export type Command = (io: CliIo) => Promise<number>;

/**
 * How a process entry point answers SIGINT/SIGTERM. `perfkit`: says so on stderr, a second signal exits
 * at once with 130/143. `k6`: as k6 run does: nothing printed for the first (the run logs why it
 * ended), a second one logs `Aborting k6 in response to signal` and exits 105 at once.
 */
export type SignalStyle = 'perfkit' | 'k6';

/** Go's name of a signal, as k6 logs it. */
const GO_SIGNAL_NAME: Record<string, string> = { SIGINT: 'interrupt', SIGTERM: 'terminated' };

/**
 * Runs a command as a process entry point: the one place that touches
 * process.argv and process.exit (the environment comes from config.ts). SIGINT and SIGTERM abort the
 * command's signal so it can stop what it started; a second signal exits at once.
 */
export async function main(command: Command, signalStyle: SignalStyle = 'perfkit'): Promise<never> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1 && signalStyle === 'k6') {
      process.stderr.write(
        formatLog('error', 'Aborting k6 in response to signal', { sig: GO_SIGNAL_NAME[sig] ?? sig }) + '\n',
      );
      process.exit(K6_EXIT_CODE.externalAbort);
    }
    if (signals > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
    if (signalStyle === 'perfkit') process.stderr.write(`\nreceived ${sig}, stopping…\n`);
    controller.abort(interruptedError(sig === 'SIGTERM' ? 'SIGTERM' : 'SIGINT'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const debug = process.argv.includes('--debug');
  let code: number;
  try {
    code = await command({
      argv: process.argv.slice(2),
      env: processEnvironment(),
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      signal: controller.signal,
    });
  } catch (err) {
    process.stderr.write(formatError(err, debug) + '\n');
    code = err instanceof ToolkitError ? err.exitCode : EXIT.error;
  }
  process.exit(code);
}

/** Writes people's output to stderr unless quiet. */
export function logger(io: Pick<CliIo, 'stderr'>, quiet = false): (line: string) => void {
  return (line: string) => {
    if (!quiet) io.stderr.write(line + '\n');
  };
}

/**
 * The catch block of a command's run(): prints a user error (a ToolkitError,
 * or node:util parseArgs' ERR_PARSE_ARGS_* as a usage error) and returns its
 * exit code; anything else is a bug and is rethrown for main() to print.
 */
export function exitWithUserError(io: Pick<CliIo, 'stderr' | 'argv'>, err: unknown): number {
  const parseError = err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
  if (!(err instanceof ToolkitError) && !parseError) throw err;
  const e =
    err instanceof ToolkitError
      ? err
      : new ToolkitError('USAGE', (err as Error).message, { fix: 'run the command with --help to see its usage' });
  io.stderr.write(formatError(e, io.argv.includes('--debug')) + '\n');
  return e.exitCode;
}
