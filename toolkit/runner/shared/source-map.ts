/**
 * Stack traces of the compiled script name the script's own files, lines and columns: the map of
 * esbuild's bundle and the one of the async compile step (transform.ts) are composed at build time;
 * each VU context's Error.prepareStackTrace maps the frames of the compiled script through it and
 * writes them as V8 does, so stack.ts turns them into k6's form as on the isolate model.
 */
import remapping from '@jridgewell/remapping';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One source map from the compiled script to the original files (sources as file URLs). */
export function composeMaps(compileMap: string, bundleMap: string, bundleDir: string): string {
  const bundle = JSON.parse(bundleMap) as { sources: string[] };
  bundle.sources = bundle.sources.map((s) => pathToFileURL(resolve(bundleDir, s)).href);
  const composed = remapping(JSON.parse(compileMap), (file) => (file === 'module.js' ? (bundle as never) : null));
  return JSON.stringify(composed);
}

interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFunctionName(): string | null;
  getTypeName(): string | null;
  getMethodName(): string | null;
  isConstructor(): boolean;
  isToplevel(): boolean;
  isNative(): boolean;
  isEval(): boolean;
  isAsync(): boolean;
  isPromiseAll(): boolean;
  getPromiseIndex(): number | null;
}

/** A frame's name as V8 writes it: `Type.fn [as method]`, `new Fn`, or the function's name. */
function frameName(cs: CallSite): string {
  const fn = cs.getFunctionName();
  if (cs.isPromiseAll()) return `Promise.all (index ${cs.getPromiseIndex()})`;
  if (cs.isConstructor()) return `new ${fn ?? '<anonymous>'}`;
  const type = cs.isToplevel() ? null : cs.getTypeName();
  const method = cs.getMethodName();
  if (!type) return fn ?? '';
  let name = fn ?? '<anonymous>';
  if (!name.startsWith(type)) name = `${type}.${name}`;
  if (method && fn && !fn.endsWith(method)) name += ` [as ${method}]`;
  return name;
}

/** Error.prepareStackTrace for a VU context: frames of `scriptUrl` mapped through `map`. */
export function stackFormatter(map: string, scriptUrl: string): (err: Error, frames: CallSite[]) => string {
  const trace = new TraceMap(map);
  const where = (cs: CallSite): string => {
    if (cs.isNative()) return 'native';
    let file = cs.getFileName() ?? '<anonymous>';
    let line = cs.getLineNumber();
    let col = cs.getColumnNumber();
    if (file === scriptUrl && line !== null && col !== null) {
      const orig = originalPositionFor(trace, { line, column: col - 1 });
      if (orig.source && orig.line !== null) {
        file = orig.source;
        line = orig.line;
        col = orig.column + 1;
      }
    }
    return line === null ? file : `${file}:${line}:${col}`;
  };
  return (err, frames) => {
    let head: string;
    try {
      head = String(err);
    } catch {
      head = 'Error';
    }
    const lines = frames.map((cs) => {
      const name = frameName(cs);
      const prefix = cs.isAsync() ? 'async ' : '';
      return name ? `    at ${prefix}${name} (${where(cs)})` : `    at ${prefix}${where(cs)}`;
    });
    return [head, ...lines].join('\n');
  };
}
