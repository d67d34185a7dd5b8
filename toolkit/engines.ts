/**
 * runScript: runs a k6 script on the built-in engine (toolkit/runner) or real
 * k6 (toolkit/k6) and returns the same RunOutcome either way. The one place
 * that picks between the engines; neither engine knows the other.
 */
import { findK6, k6Version, locateK6, runWithK6 } from './k6/index.ts';
import type { RunOutcome, RunScriptOptions } from './k6-core/index.ts';
import { runBuiltin } from './runner/index.ts';

export type { EngineChoice, Progress, RunOutcome, RunScriptOptions, Writer } from './k6-core/index.ts';

type PickOpts = Pick<RunScriptOptions, 'engine' | 'k6Bin' | 'processEnv'>;

/** The engine a run will use: `auto` is real k6 when one is found (k6Bin, K6_BIN, PATH), else the built-in one. */
export function pickEngine(opts: PickOpts): 'builtin' | 'k6' {
  const choice = opts.engine ?? 'builtin';
  if (choice !== 'auto') return choice;
  return findK6(opts) ? 'k6' : 'builtin';
}

/**
 * One line saying which engine a run uses and why, e.g. `engine auto: k6 v2.2.0 (/usr/bin/k6, from PATH)`
 * or `engine auto: built-in runner (no k6: K6_BIN unset and none on PATH)`.
 */
export async function describeEngine(opts: PickOpts): Promise<string> {
  const choice = opts.engine ?? 'builtin';
  if (pickEngine(opts) === 'builtin')
    return choice === 'auto'
      ? 'engine auto: built-in runner (no k6: K6_BIN unset and none on PATH)'
      : 'engine builtin: built-in runner';
  const found = locateK6(opts);
  if (!found) return `engine ${choice}: k6 (not found)`;
  const v = await k6Version(found.bin, opts.processEnv ?? {});
  return `engine ${choice}: k6 v${v.version} (${found.bin}, from ${found.source})`;
}

/** A script's options (thresholds and all) as the built-in runner reads them, without running the script. */
export { readScriptOptions } from './runner/index.ts';

/** Runs a k6 script and resolves with its exit code, k6 summary data, thresholds and per-second series. */
export async function runScript(opts: RunScriptOptions): Promise<RunOutcome> {
  // auto says what it picked (unless quiet); an explicit choice needs no explanation.
  if (opts.engine === 'auto' && !opts.quiet) opts.stderr?.write(`${await describeEngine(opts)}\n`);
  return pickEngine(opts) === 'k6' ? runWithK6(opts) : runBuiltin(opts);
}
