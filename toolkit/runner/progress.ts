/**
 * Live progress as k6 2.x shows it: on stdout (not stderr), rewritten in place every 100 ms on a terminal,
 * otherwise a block every second; the last block comes after the end-of-test summary. -q shows none.
 * Only k6's first progress line (`running (…), x/y VUs, n complete and m interrupted iterations`) is
 * written, not its per-scenario bars.
 */
import type { Progress } from '../k6-core/index.ts';

/** k6's fixed-length duration (internal/ui/pb GetFixedLengthDuration): as many fields as `maxMs` needs. */
export function fixedLengthDuration(ms: number, maxMs: number): string {
  const tenths = Math.round(Math.abs(ms) / 100);
  const max = Math.max(Math.abs(maxMs), Math.abs(ms));
  const sec = Math.floor(tenths / 10) % 60;
  const frac = `${String(sec).padStart(2, '0')}.${tenths % 10}s`;
  if (max < 10_000) return frac.slice(1);
  if (max < 60_000) return frac;
  const min = Math.floor(tenths / 600);
  if (max < 600_000) return `${min % 10}m${frac}`;
  if (max < 3_600_000) return `${String(min % 60).padStart(2, '0')}m${frac}`;
  const hours = Math.floor(min / 60);
  return `${hours}h${String(min % 60).padStart(2, '0')}m${frac}`;
}

/** k6's progress line for a snapshot of the run; maxMs: the test's longest possible run, graceful stops included. */
export function progressLine(p: Progress, maxMs = p.totalMs): string {
  const elapsed = fixedLengthDuration(p.elapsedMs, Math.max(maxMs, p.totalMs));
  return `running (${elapsed}), ${p.vus}/${p.vusMax} VUs, ${p.iterations} complete and ${p.interrupted} interrupted iterations`;
}

/** Where progress snapshots go while the test runs; the last one is printed by flush(), after the summary. */
export interface ProgressWriter {
  update(p: Progress): void;
  /** The run's final snapshot: kept for flush(). */
  done(p: Progress): void;
  /** Prints the final snapshot (k6 does so once the summary is out). */
  flush(): void;
}

type Out = { write(s: string): unknown; isTTY?: boolean };

export function createProgressWriter(stdout: Out, quiet: boolean, maxMs = 0, plainEveryMs = 1000): ProgressWriter {
  if (quiet) return { update: () => undefined, done: () => undefined, flush: () => undefined };
  let final: Progress | null = null;
  // Every block starts with an empty line, as k6's renderMultipleBars does.
  const flush = (): void => {
    if (final) stdout.write(`\n${progressLine(final, maxMs)}\n`);
    final = null;
  };
  if (stdout.isTTY) {
    let shown = false;
    return {
      update: (p) => {
        shown = true;
        stdout.write(`\r\x1b[2K${progressLine(p, maxMs)}`);
      },
      done: (p) => {
        if (shown) stdout.write('\r\x1b[2K');
        final = p;
      },
      flush,
    };
  }
  let last = 0;
  return {
    update: (p) => {
      if (p.elapsedMs - last < plainEveryMs) return;
      last = p.elapsedMs;
      stdout.write(`\n${progressLine(p, maxMs)}\n`);
    },
    done: (p) => {
      final = p;
    },
    flush,
  };
}
