/** The engine's own log lines on stderr, in k6's format. */
import { formatLog, type Writer } from '../k6-core/index.ts';

/** Writes one k6-style log line. */
export type Log = (level: string, msg: string, fields?: Record<string, string>) => void;

/**
 * A Log that writes to the run's stderr as k6's logger (logrus) does: `warn` is spelled `warning`, and
 * the fields come in alphabetical order.
 */
export function createLog(stderr: Writer): Log {
  return (level, msg, fields = {}) => {
    const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    stderr.write(formatLog(level === 'warn' ? 'warning' : level, msg, sorted) + '\n');
  };
}
