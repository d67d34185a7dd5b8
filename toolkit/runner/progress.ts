/** Live progress on stderr: one rewritten line on a terminal, a plain line every few seconds otherwise. */
import { formatElapsed, type Progress } from '../k6-core/index.ts';

export function progressLine(p: Progress): string {
  const pct = p.totalMs > 0 ? Math.min(100, Math.round((p.elapsedMs / p.totalMs) * 100)) : 0;
  return `running (${formatElapsed(p.elapsedMs)}/${formatElapsed(p.totalMs)}, ${pct}%), ${p.vus}/${p.vusMax} VUs, ${p.iterations} complete and ${p.interrupted} interrupted iterations`;
}

/** Where progress snapshots go while the test runs, and the last one when it ends. */
export interface ProgressWriter {
  update(p: Progress): void;
  done(p: Progress): void;
}

export function createProgressWriter(
  stderr: { write(s: string): unknown; isTTY?: boolean },
  quiet: boolean,
  plainEveryMs = 5000,
): ProgressWriter {
  if (quiet) return { update: () => undefined, done: () => undefined };
  if (stderr.isTTY) {
    return {
      update: (p) => void stderr.write(`\r\x1b[2K${progressLine(p)}`),
      done: (p) => void stderr.write(`\r\x1b[2K${progressLine(p)}\n`),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      if (p.elapsedMs - last < plainEveryMs) return;
      last = p.elapsedMs;
      stderr.write(progressLine(p) + '\n');
    },
    done: (p) => void stderr.write(progressLine(p) + '\n'),
  };
}
