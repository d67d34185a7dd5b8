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
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { which } from './which.ts';

const SOURCE = join(import.meta.dirname, 'native/pdeathsig.c');
const ROOT = resolve(import.meta.dirname, '../..');
let cached: { path: string | null; reason?: string } | undefined;

/** The launcher's path, building it on first use; null (with a reason) where there can be none. */
export function pdeathsigLauncher(env: Record<string, string | undefined>): { path: string | null; reason?: string } {
  if (cached) return cached;
  if (process.platform !== 'linux') return (cached = { path: null, reason: 'parent-death signals are Linux only' });
  const cc = env.CC ?? ['cc', 'gcc', 'clang'].map((c) => which(c, env)).find(Boolean);
  if (!cc) return (cached = { path: null, reason: 'no C compiler to build the launcher' });
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
  const base = env.PERFKIT_CACHE_DIR
    ? resolve(env.PERFKIT_CACHE_DIR)
    : existsSync(join(ROOT, 'node_modules'))
      ? join(ROOT, 'node_modules/.cache/perfkit')
      : join(tmpdir(), `perfkit-native-${process.getuid?.() ?? 0}`);
  const out = join(base, `pdeathsig-${hash}-${process.arch}`);
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
