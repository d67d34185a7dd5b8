/** The engine's own log lines on stderr, in k6's format. */
import { formatLog, type Writer } from '../k6-core/index.ts';

/** Writes one k6-style log line. */
export type Log = (level: string, msg: string, fields?: Record<string, string>) => void;

/** A Log that writes to the run's stderr. */
export function createLog(stderr: Writer): Log {
  return (level, msg, fields = {}) => void stderr.write(formatLog(level, msg, fields) + '\n');
}
