/**
 * k6's init-context globals (__ENV, __VU, __ITER, open, console). Imported
 * before the user's script in the worker bundle so its init code sees them.
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { data, post, vu } from './state.ts';

// Linux nice values are per thread (pid 0 = this thread): VUs yield the CPU to the
// I/O thread that serves them all, or with many VUs on few cores it starves and throughput collapses.
try {
  setPriority(0, data.nice);
} catch {
  // Not permitted or not Linux: run at normal priority.
}

type Level = 'debug' | 'info' | 'warn' | 'error';

const g = globalThis as Record<string, unknown>;
g.__ENV = { ...data.env };
g.__VU = data.vuId;
g.__ITER = 0;

/** k6's open(): reads a file relative to the script, as text or (with 'b') an ArrayBuffer. */
g.open = (path: string, mode?: string): string | ArrayBuffer => {
  if (!vu.inInit) throw new Error('open() is only available in the init context (outside exported functions)');
  const full = resolve(data.scriptDir, String(path));
  const buf = readFileSync(full);
  if (mode === 'b') return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return buf.toString('utf8');
};

const format = (args: unknown[]): string =>
  args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 4, breakLength: Infinity }))).join(' ');
const log =
  (level: Level) =>
  (...args: unknown[]): void =>
    post({ t: 'log', level, msg: format(args), fields: { source: 'console' } });

/**
 * Node's globals are not k6's: a script that reaches for them fails as it would under k6 (process is
 * not defined → a ReferenceError in init, exit 107). The runner's own code imports what it needs.
 */
for (const name of [
  'process',
  'Buffer',
  'require',
  'module',
  'exports',
  '__filename',
  '__dirname',
  'setImmediate',
  'clearImmediate',
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'WebSocket',
  'EventSource',
  'navigator',
  'BroadcastChannel',
  'MessageChannel',
  'MessagePort',
  'MessageEvent',
]) {
  delete g[name];
}

g.console = {
  log: log('info'),
  info: log('info'),
  debug: log('debug'),
  warn: log('warn'),
  error: log('error'),
  trace: log('debug'),
};
