/** runScript's options as the built-in engine uses them, defaults applied once. */
import { resolve } from 'node:path';
import type { RunScriptOptions, Writer } from '../k6-core/index.ts';

/** RunScriptOptions with the streams and folder filled in, and the NDJSON path resolved. */
export interface BuiltinOptions extends RunScriptOptions {
  stdout: Writer;
  stderr: Writer;
  cwd: string;
}

const discard: Writer = { write: () => true };

/** Fills in the defaults: silent streams, the current folder, NDJSON samples in outDir when it is given. */
export function withDefaults(opts: RunScriptOptions): BuiltinOptions {
  const cwd = opts.cwd ?? '.';
  const jsonOut = opts.jsonOut ?? (opts.outDir ? resolve(cwd, opts.outDir, 'samples.ndjson') : undefined);
  return { ...opts, jsonOut, cwd, stdout: opts.stdout ?? discard, stderr: opts.stderr ?? discard };
}
