/**
 * The live status of a running scenario: on a terminal one line rewritten in place, elsewhere (CI) one
 * plain line every 10 s, nothing with --quiet. The engine's snapshots (built-in runner) give VUs,
 * iterations, requests and checks; without them (real k6) the line still shows the clock.
 */
import type { Progress } from '../engines.ts';

/** Where the status goes. */
export interface StatusStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** One running part's status: fed snapshots, closed when the part ends. */
export interface LiveStatus {
  update(p: Progress): void;
  close(): void;
}

const clock = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const pct = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)}%`;

/** The status line: `load  0:40/1:00  10 VUs  1203 iterations  20.1 req/s  0.0% errors  100.0% checks`. */
export function statusLine(name: string, p: Progress | undefined, elapsedMs: number, reqPerSec?: number): string {
  const total = p && p.totalMs > 0 ? `/${clock(p.totalMs)}` : '';
  const parts = [`${name}  ${clock(p?.elapsedMs ?? elapsedMs)}${total}`];
  if (p) parts.push(`${p.vus} VUs`, `${p.iterations} iterations`);
  if (reqPerSec !== undefined) parts.push(`${reqPerSec.toFixed(1)} req/s`);
  if (p?.requests) parts.push(`${pct(p.failedRequests ?? 0, p.requests)} errors`);
  if (p?.checks) parts.push(`${pct(p.checksPassed ?? 0, p.checks)} checks`);
  return parts.join('  ');
}

/** Starts the status of one part; `everyMs` is the plain-line interval off a terminal. */
export function startStatus(name: string, out: StatusStream, quiet: boolean, everyMs = 10_000): LiveStatus {
  if (quiet) return { update: () => undefined, close: () => undefined };
  const started = Date.now();
  let last: Progress | undefined;
  let mark = { at: started, requests: 0 };
  const line = (): string => {
    const now = Date.now();
    const requests = last?.requests;
    const rate =
      requests !== undefined && now > mark.at ? ((requests - mark.requests) * 1000) / (now - mark.at) : undefined;
    if (requests !== undefined) mark = { at: now, requests };
    return statusLine(name, last, now - started, rate);
  };
  const tty = Boolean(out.isTTY);
  const timer = setInterval(() => void out.write(tty ? `\r\x1b[2K  ${line()}` : `  ${line()}\n`), tty ? 1000 : everyMs);
  timer.unref();
  return {
    update: (p) => void (last = p),
    close: () => {
      clearInterval(timer);
      if (tty) out.write('\r\x1b[2K');
    },
  };
}
