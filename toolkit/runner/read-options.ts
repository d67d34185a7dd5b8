/**
 * A script's options as the built-in runner reads them before a run: bundled, its init code run once on
 * the init VU (__VU 0), `options` exported back. Nothing else runs (no setup, no iterations); used where
 * a script's thresholds are needed without running it (judging imported k6 results).
 */
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ToolkitError } from '../errors.ts';
import { K6_EXIT_CODE, type Writer } from '../k6-core/index.ts';
import { bundleForRunner } from './bundle.ts';
import { LazyHttpIo } from './lazy-http-io.ts';
import { createLog } from './log.ts';
import { InitError, spawnVu } from './vu-pool.ts';

/** The script's exported options (after its init code ran with `env` as __ENV). */
export async function readScriptOptions(opts: {
  script: string;
  cwd?: string;
  env?: Record<string, string>;
  stderr?: Writer;
}): Promise<Record<string, unknown>> {
  const scriptPath = resolve(opts.cwd ?? '.', opts.script);
  const bundlePath = await bundleForRunner(scriptPath);
  const io = new LazyHttpIo();
  const log = createLog(opts.stderr ?? { write: () => true });
  const hooks = {
    onSamples: () => undefined,
    onMetric: () => undefined,
    onLog: (level: string, msg: string, fields: Record<string, string>) => log(level, msg, fields),
    onAbort: () => undefined,
  };
  try {
    const base = { bundlePath, env: opts.env ?? {}, scriptDir: dirname(scriptPath), io, hooks, vuSocketAddon: null };
    const { vu, options } = await spawnVu({ ...base, testTags: {}, options: {} }, 0);
    await vu.terminate();
    return (options ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof InitError)) throw err;
    throw new ToolkitError('SCRIPT_INVALID', `${opts.script}: its init code failed: ${err.message}`, {
      fix: 'fix the script so that `npm run k6 -- run` can start it',
      exitCode: K6_EXIT_CODE.scriptException,
      cause: err,
    });
  } finally {
    await io.close();
    await rm(dirname(bundlePath), { recursive: true, force: true });
  }
}
