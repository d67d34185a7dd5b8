/**
 * One `k6 run` process: its stderr (k6's log lines) streamed to the caller and kept in k6.stderr.log, its
 * stdout (banner, progress lines, summary) kept in k6.stdout.log and forwarded as the caller asked, each
 * progress line also reported through onProgress; SIGINT on abort, SIGKILL if k6 does not stop.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { ToolkitError } from '../errors.ts';
import { K6_EXIT_CODE, type Progress, type RunScriptOptions } from '../k6-core/index.ts';

/** `running (01.0s), 2/2 VUs, 6 complete and 0 interrupted iterations` (1.x writes `0m01.0s`, 2.x `01.0s`). */
const RUNNING =
  /^running \((?:(\d+)h)?(?:(\d+)m)?([\d.]+)s\), (\d+)\/(\d+) VUs, (\d+) complete and (\d+) interrupted iterations/;
/** A scenario's bar: `main   [  33% ] 2 VUs  1.0s/3s`. */
const BAR = /^\S+\s+\S?\s*\[\s*\d+% \]/;

/** A k6 progress line as Progress (totalMs unknown from the line: 0), or null. */
export function parseProgressLine(line: string): Progress | null {
  const m = RUNNING.exec(line);
  if (!m) return null;
  const elapsedMs = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3])) * 1000;
  return {
    elapsedMs: Math.round(elapsedMs),
    totalMs: 0,
    vus: Number(m[4]),
    vusMax: Number(m[5]),
    iterations: Number(m[6]),
    interrupted: Number(m[7]),
  };
}

const isProgress = (line: string): boolean => RUNNING.test(line) || BAR.test(line);

/** Splits a stream into lines and hands each (without its \n) to `each`. */
function lines(each: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) each(l);
    },
    end() {
      if (rest) each(rest);
      rest = '';
    },
  };
}

export interface K6Process {
  exitCode: number;
  /** Signal that ended k6, if one did. */
  signal: NodeJS.Signals | null;
  /** The last lines k6 wrote to stderr (for the message of a failed run). */
  stderrTail: string[];
}

/**
 * Runs k6 with `args`. forwardStdout: 'all' (banner, progress, summary), 'progress' (only the progress
 * lines: the caller prints no summary) or 'none'.
 */
export function runK6Process(
  bin: string,
  args: string[],
  dir: string,
  opts: RunScriptOptions,
  forwardStdout: 'all' | 'progress' | 'none',
): Promise<K6Process> {
  const child = spawn(bin, args, {
    cwd: opts.cwd,
    env: opts.processEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const files: WriteStream[] = [
    createWriteStream(join(dir, 'k6.stdout.log')),
    createWriteStream(join(dir, 'k6.stderr.log')),
  ];
  const [outLog, errLog] = files as [WriteStream, WriteStream];
  const tail: string[] = [];
  const out = lines((l) => {
    const progress = parseProgressLine(l);
    if (progress) opts.onProgress?.(progress);
    if (forwardStdout === 'all' || (forwardStdout === 'progress' && isProgress(l))) opts.stdout?.write(`${l}\n`);
  });
  const err = lines((l) => {
    tail.push(l);
    if (tail.length > 20) tail.shift();
  });
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    outLog.write(s);
    out.push(s);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    errLog.write(s);
    opts.stderr?.write(s);
    err.push(s);
  });
  let killer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    // k6 stops gracefully on SIGINT (teardown, summary); a stuck one is killed.
    child.kill('SIGINT');
    killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  return new Promise((resolveRun, reject) => {
    child.once('error', (e) => {
      for (const f of files) f.end();
      reject(
        new ToolkitError('BINARY_MISSING', `cannot start k6 at ${bin}: ${e.message}`, {
          fix: 'check K6_BIN or your PATH',
          cause: e,
        }),
      );
    });
    child.once('close', (code, sig) => {
      clearTimeout(killer);
      opts.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      const closed = files.map((f) => new Promise<void>((r) => f.end(r)));
      // Ended by a signal: SIGINT/SIGTERM is a stop from outside (k6's 105); anything else, k6 died.
      const exitCode = code ?? (sig === 'SIGINT' || sig === 'SIGTERM' ? K6_EXIT_CODE.externalAbort : 1);
      void Promise.all(closed).then(() => resolveRun({ exitCode, signal: sig, stderrTail: tail }));
    });
  });
}

/** What k6's exit codes mean (errext/exitcodes in k6's source; 255: k6 refused the command or the script). */
export const K6_EXIT_MEANING: Record<number, string> = {
  0: 'ok',
  97: 'the cloud test run failed',
  98: 'could not get the cloud progress',
  99: 'thresholds crossed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'timed out',
  103: 'stopped from the REST API (engine error)',
  104: 'invalid options',
  105: 'interrupted (signal)',
  106: 'cannot start the REST API',
  107: 'script error',
  108: 'aborted by the script (exec.test.abort())',
  109: 'k6 crashed (Go panic)',
  110: 'marked as failed by the script (exec.test.fail())',
  255: 'k6 refused the command line or could not load the script',
};

export const exitMeaning = (code: number): string => K6_EXIT_MEANING[code] ?? 'k6 failed';
