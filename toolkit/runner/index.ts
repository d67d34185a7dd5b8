/**
 * The built-in engine: runs a k6 script on worker-thread VUs and returns k6-core's
 * RunOutcome. toolkit/engines.ts chooses between it and real k6.
 */
import { resolve } from 'node:path';
import type { RunOutcome, RunScriptOptions } from '../k6-core/index.ts';
import { BuiltinEngine } from './engine.ts';

/** Runs a k6 script on the built-in engine; NDJSON samples go to jsonOut, or to outDir/samples.ndjson. */
export async function runBuiltin(opts: RunScriptOptions): Promise<RunOutcome> {
  const jsonOut = opts.jsonOut ?? (opts.outDir ? resolve(opts.cwd ?? '.', opts.outDir, 'samples.ndjson') : undefined);
  return new BuiltinEngine({ ...opts, jsonOut }).run();
}
