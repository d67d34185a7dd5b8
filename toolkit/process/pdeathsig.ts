/**
 * The parent-death launcher (native/pdeathsig.c): built once per source
 * version with the machine's C compiler into node_modules/.cache/perfkit, on
 * Linux only. A program started through it is killed by the kernel when the
 * process that started it dies, even by SIGKILL. Without a compiler (or off
 * Linux) there is none, and the crash sweep (leftovers.ts) is what stops
 * such processes on the next run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir } from './cache-dir.ts';
import { which } from './which.ts';

const SOURCE = join(import.meta.dirname, 'native/pdeathsig.c');
let cached: { path: string | null; reason?: string } | undefined;

/** The launcher's path, building it on first use; null (with a reason) where there can be none. */
export function pdeathsigLauncher(env: Record<string, string | undefined>): { path: string | null; reason?: string } {
  if (cached) return cached;
  if (process.platform !== 'linux') return (cached = { path: null, reason: 'parent-death signals are Linux only' });
  const cc = env.CC ?? ['cc', 'gcc', 'clang'].map((c) => which(c, env)).find(Boolean);
  if (!cc) return (cached = { path: null, reason: 'no C compiler to build the launcher' });
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
  const out = join(cacheDir(env, 'native'), `pdeathsig-${hash}-${process.arch}`);
  if (existsSync(out)) return (cached = { path: out });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(out), { recursive: true });
    execFileSync(cc, ['-O2', '-o', tmp, SOURCE], { stdio: 'pipe', timeout: 30_000, env });
    renameSync(tmp, out);
    return (cached = { path: out });
  } catch (err) {
    rmSync(tmp, { force: true });
    return (cached = { path: null, reason: `${cc} failed: ${(err as Error).message.split('\n')[0]}` });
  }
}
