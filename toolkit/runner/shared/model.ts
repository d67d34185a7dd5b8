/**
 * Which VU model a run uses, decided before any VU starts: 'shared' when asked for (refused,
 * naming the construct, when the script cannot run on it as k6 does), 'auto' shared when the
 * script allows it (else the isolate model with one line saying why), 'isolate' otherwise.
 */
import { availableParallelism } from 'node:os';
import { ToolkitError } from '../../errors.ts';
import { K6_EXIT_CODE } from '../../k6-core/index.ts';
import { DETAIL, type Log } from '../log.ts';
import type { PoolConfig } from '../vu-pool.ts';
import { buildShared } from './build.ts';
import { describeUnsupported } from './detect.ts';
import type { VuModelChoice } from './choice.ts';
import { SharedHosts } from './spawn.ts';

export type { VuModelChoice } from './choice.ts';

/** The shared model's part of the pool config, and its threads to end with the run. */
export interface SharedModel {
  pool: Pick<PoolConfig, 'spawn' | 'spawnBatch'>;
  close(): Promise<void>;
}

/** Host threads: PERFKIT_VU_THREADS, else one per core but one, leaving a core to the main thread. */
function threadCount(env: Record<string, string | undefined>): number {
  const asked = Number(env.PERFKIT_VU_THREADS);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return Math.max(1, availableParallelism() - 1);
}

/** Prepares the shared model, or returns null for the isolate model (saying why when 'auto' falls back). */
export async function prepareSharedModel(
  choice: VuModelChoice,
  scriptPath: string,
  bundleDir: string,
  env: Record<string, string | undefined>,
  log: Log,
  { asked = true }: { asked?: boolean } = {},
): Promise<SharedModel | null> {
  if (choice === 'isolate') return null;
  const built = await buildShared(scriptPath, bundleDir, env);
  if (!built.ok) {
    const why = describeUnsupported(built.unsupported);
    if (choice === 'auto') {
      // Asked for, a k6-style warning; by default a plain line of perfkit's own: k6 logs nothing here.
      log(
        asked ? 'warning' : DETAIL,
        `the shared VU model cannot run this script as k6 does (${why}): it runs on the isolate model`,
      );
      return null;
    }
    throw new ToolkitError('SCRIPT_INVALID', `vuModel "shared": the script cannot run on the shared VU model: ${why}`, {
      fix: 'use --vu-model isolate (a worker thread per VU), or auto to fall back by itself',
      exitCode: K6_EXIT_CODE.invalidConfig,
    });
  }
  const hosts = new SharedHosts({ ...built, originalScript: scriptPath }, threadCount(env));
  return { pool: { spawn: (cfg, id) => hosts.spawn(cfg, id), spawnBatch: 64 }, close: () => hosts.close() };
}
