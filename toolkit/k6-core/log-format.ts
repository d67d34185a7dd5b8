/** k6-style log lines (logfmt, as k6 writes them when stderr is not a terminal). */

const quote = (s: string): string => JSON.stringify(s);

/** One log line: `time="…" level=… msg="…"` then the extra fields, quoted when they need it. */
export function formatLog(level: string, msg: string, fields: Record<string, string> = {}, now = new Date()): string {
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const extra = Object.entries(fields)
    .map(([k, v]) => `${k}=${/^[\w.:/-]+$/.test(v) ? v : quote(v)}`)
    .join(' ');
  return `time="${time}" level=${level} msg=${quote(msg)}${extra ? ' ' + extra : ''}`;
}
