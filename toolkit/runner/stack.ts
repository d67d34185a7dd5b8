/**
 * Script exceptions as k6 2.x logs them: `TypeError: Cannot read property 'x' of undefined`, then one
 * `\n\tat <function> (file:///script.js:line:col)` line per script frame and a final newline. V8's
 * stack (through the bundle's source map) becomes goja's: the runner's own frames and Node's go, a call
 * frame points at the call's `(` as in goja rather than at the callee's name, and V8's wording of the
 * common TypeError is goja's. k6 also prints goja's bytecode offset after the column (`:16:47(5)`) and
 * its Go functions' frames (`(native)`); no JavaScript engine but goja has either, so they are left out.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The runner's and k6-core's folders: frames there are the engine's, never the script's. */
export const ENGINE_DIRS = [
  dirname(fileURLToPath(import.meta.url)),
  join(dirname(fileURLToPath(import.meta.url)), '..', 'k6-core'),
].map((d) => d + sep);

/** The built-in runner's worker bundle (runner/bundle.ts). */
export const BUNDLE_FILE = 'vu-bundle.mjs';

interface Frame {
  name: string | null;
  file: string;
  line: number;
  col: number;
}

const FRAME = /^\s+at (?:async )?(?:new )?(?:(.*?) \()?((?:file:\/\/)?\/[^():]*):(\d+):(\d+)\)?$/;

function parseFrame(line: string): Frame | null {
  const m = FRAME.exec(line);
  if (!m) return null;
  const file = m[2]!.startsWith('file://') ? fileURLToPath(m[2]!) : m[2]!;
  return { name: functionName(m[1]), file, line: Number(m[3]), col: Number(m[4]) };
}

/** V8's names for module code and esbuild's renames of `export default function` say nothing in k6. */
function functionName(raw: string | undefined): string | null {
  if (!raw || raw === '<anonymous>' || raw === 'Object.<anonymous>') return null;
  const name = raw.replace(/^(Object|Module)\./, '');
  return /^\w*_default$/.test(name) ? 'default' : name;
}

const sources = new Map<string, string[] | null>();
function sourceLine(file: string, line: number): string | null {
  if (!sources.has(file)) {
    try {
      sources.set(file, readFileSync(file, 'utf8').split('\n'));
    } catch {
      sources.set(file, null);
    }
  }
  return sources.get(file)?.[line - 1] ?? null;
}

/**
 * goja's column for a frame. A call (`check(`, `exec.test.abort(`) is where its `(` is, V8's at the
 * callee's name; a property read that failed (`….length` of undefined) is at the property's name.
 */
function gojaColumn(f: Frame, readProperty: string | null): number {
  const text = sourceLine(f.file, f.line);
  if (text === null) return f.col;
  const call = /^[\w$]+[ \t]*\(/.exec(text.slice(f.col - 1));
  if (call) return f.col + call[0].length - 1;
  if (readProperty !== null) {
    const at = text.slice(Math.max(0, f.col - 2)).search(new RegExp(`\\??\\.[ \\t]*${escape(readProperty)}\\b`));
    if (at >= 0) {
      const start = Math.max(0, f.col - 2) + at;
      return start + text.slice(start).indexOf(readProperty) + 1;
    }
  }
  return f.col;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** V8's wording of a message where goja's differs. */
export function gojaMessage(message: string): string {
  return message.replace(
    /^Cannot read properties of (undefined|null) \(reading '(.*)'\)$/,
    "Cannot read property '$2' of $1",
  );
}

/** The runner's files, the bundle's own helpers (esbuild's require wrapper) and packages. */
const isEngineFile = (file: string, engineDirs: readonly string[]): boolean =>
  engineDirs.some((d) => file.startsWith(d)) ||
  file.includes(`${sep}node_modules${sep}`) ||
  file.endsWith(`${sep}${BUNDLE_FILE}`);

/** The script's frames of a V8 stack, as goja prints them: ` at name (file:///…:line:col)`. */
export function scriptFrames(stack: string, engineDirs: readonly string[], message = ''): string[] {
  const readProperty = /^Cannot read propert(?:y|ies) .*?'(.*)'/.exec(message)?.[1] ?? null;
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    const f = parseFrame(line);
    if (!f || isEngineFile(f.file, engineDirs)) continue;
    const where = `${pathToFileURL(f.file).href}:${f.line}:${gojaColumn(f, out.length === 0 ? readProperty : null)}`;
    out.push(f.name ? `at ${f.name} (${where})` : `at ${where}`);
  }
  return out;
}

/** An exception as k6 logs it (`source=stacktrace`): its name and message, its script frames, a newline. */
export function k6Exception(err: unknown, engineDirs: readonly string[] = ENGINE_DIRS): string {
  if (!(err instanceof Error) && !(err && typeof err === 'object' && 'stack' in err)) return String(err);
  const e = err as Error;
  const message = gojaMessage(e.message ?? '');
  const head = `${e.name || 'Error'}: ${message}`;
  const frames = scriptFrames(e.stack ?? '', engineDirs, e.message ?? '');
  return `${head}\n${frames.map((f) => `\t${f}\n`).join('')}`;
}
