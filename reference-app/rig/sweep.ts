/**
 * Stacks left by a crash. A stack started for a run (loadtest, the test
 * set-up) records its owner's pid and start time in state.json; `stack up`
 * stacks have none (they outlive the command on purpose). Before a stack
 * starts, and from `doctor`, every folder in `<cwd>/.stack/` is looked at:
 * one whose owner is dead (or whose owner pid now names a later process) has
 * its processes stopped by their recorded pids (each checked to still run its
 * command) and its folder removed; a folder none of whose processes lives is
 * removed. One line is logged for each.
 */
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isSameProcess } from '../../toolkit/process/leftovers.ts';
import { stopAll } from './control.ts';
import { livePids, readStateFile } from './state.ts';

/** Cleans up the stacks in `<cwd>/.stack/` whose owner is dead; returns how many it cleaned. */
export async function sweepDeadStacks(cwd: string, log: (line: string) => void): Promise<number> {
  const base = join(resolve(cwd), '.stack');
  let entries: string[];
  try {
    entries = await readdir(base);
  } catch {
    return 0;
  }
  let cleaned = 0;
  for (const entry of entries) {
    const dir = join(base, entry);
    const state = await readStateFile(dir);
    const owner = state?.ownerPid ?? state?.startingPid;
    if (owner === process.pid) continue;
    const pids = await livePids(dir);
    const ownerAlive = owner !== undefined && isSameProcess(owner, state?.ownerStartTime);
    if (ownerAlive) continue;
    if (owner === undefined && pids.length > 0) continue; // `stack up`: running on purpose
    cleaned += 1;
    if (pids.length === 0) {
      await rm(dir, { recursive: true, force: true });
      log(`removed stale stack folder ${dir} (its processes are gone)`);
      continue;
    }
    try {
      if (state) await stopAll(state);
      else throw new Error('no state.json');
      log(
        `stopped stack "${state.name}" left by process ${owner}, which died: pids ${pids.join(', ')}; removed ${dir}`,
      );
    } catch (err) {
      log(`could not clean up stack ${dir} left by process ${owner}: ${(err as Error).message}`);
    }
  }
  return cleaned;
}
