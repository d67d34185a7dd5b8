/**
 * The built-in k6-compatible runner. runScript runs a k6 script with the
 * built-in engine or real k6 and returns the same data either way.
 */
import { resolve } from 'node:path';
import { BuiltinEngine } from './engine.ts';
import type { RunOutcome, RunScriptOptions } from '../k6-core/index.ts';

export type {
  RunOutcome,
  RunScriptOptions,
  EngineChoice,
  Writer,
  Progress,
  OptionOverrides,
} from '../k6-core/index.ts';
export { bundleForRunner } from './bundle.ts';

/** Runs a k6 script and resolves with its exit code, k6 summary data, thresholds and per-second series. */
export async function runScript(opts: RunScriptOptions): Promise<RunOutcome> {
  const engine = await pickEngine(opts);
  if (engine === 'k6') {
    const { runWithK6 } = await import('../k6/index.ts');
    return runWithK6(opts);
  }
  const jsonOut = opts.jsonOut ?? (opts.outDir ? resolve(opts.cwd ?? '.', opts.outDir, 'samples.ndjson') : undefined);
  return new BuiltinEngine({ ...opts, jsonOut }).run();
}

async function pickEngine(opts: RunScriptOptions): Promise<'builtin' | 'k6'> {
  const choice = opts.engine ?? 'builtin';
  if (choice !== 'auto') return choice;
  const { findK6 } = await import('../k6/index.ts');
  return findK6(opts) ? 'k6' : 'builtin';
}
