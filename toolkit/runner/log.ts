/** The engine's own log lines on stderr, in k6's format. */
import { formatLog, type Writer } from '../k6-core/index.ts';

/** Writes one k6-style log line. */
export type Log = (level: string, msg: string, fields?: Record<string, string>) => void;

/** The level of perfkit's own detail beyond what k6 logs: a plain stderr line, not a k6 log record. */
export const DETAIL = 'detail';

/**
 * A Log that writes to the run's stderr as k6's logger (logrus) does: `warn` is spelled `warning`, and
 * the fields come in alphabetical order. DETAIL lines are written as they are.
 */
export function createLog(stderr: Writer): Log {
  return (level, msg, fields = {}) => {
    if (level === DETAIL) return void stderr.write(msg + '\n');
    const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    stderr.write(formatLog(level === 'warn' ? 'warning' : level, msg, sorted) + '\n');
  };
}
