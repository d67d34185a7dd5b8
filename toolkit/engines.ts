/**
 * runScript: runs a k6 script on the built-in engine (toolkit/runner) or real
 * k6 (toolkit/k6) and returns the same RunOutcome either way. The one place
 * that picks between the engines; neither engine knows the other.
 */
import { findK6, runWithK6 } from './k6/index.ts';
import type { RunOutcome, RunScriptOptions } from './k6-core/index.ts';
import { runBuiltin } from './runner/index.ts';

export type { EngineChoice, Progress, RunOutcome, RunScriptOptions, Writer } from './k6-core/index.ts';

/** The engine a run will use: `auto` is real k6 when one is found (k6Bin, K6_BIN, PATH), else the built-in one. */
export function pickEngine(opts: Pick<RunScriptOptions, 'engine' | 'k6Bin' | 'processEnv'>): 'builtin' | 'k6' {
  const choice = opts.engine ?? 'builtin';
  if (choice !== 'auto') return choice;
  return findK6(opts) ? 'k6' : 'builtin';
}

/** Runs a k6 script and resolves with its exit code, k6 summary data, thresholds and per-second series. */
export async function runScript(opts: RunScriptOptions): Promise<RunOutcome> {
  return pickEngine(opts) === 'k6' ? runWithK6(opts) : runBuiltin(opts);
}
