/**
 * Builds the VU socket addon (vu-socket.c) with the machine's C compiler
 * against Node's own headers, once per source version, into
 * node_modules/.cache/perfkit. Node-API is stable across Node versions, so one
 * build serves every Node ≥ 20 on the same platform. When it cannot be built
 * (no compiler, no headers, Windows) the runner falls back to the shared
 * connection pool and says why.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '../../process/cache-dir.ts';
import { which } from '../../process/which.ts';

const SOURCE = join(import.meta.dirname, 'vu-socket.c');
/** Included by SOURCE: part of the build's identity. */
const HEADERS = [join(import.meta.dirname, 'vu-http.h')];

export type AddonBuild = { path: string; built: boolean } | { path: null; reason: string };

function nodeHeaders(env: Record<string, string | undefined>): string | undefined {
  const candidates = [
    env.NODE_INCLUDE_DIR,
    resolve(dirname(process.execPath), '../include/node'),
    join(homedir(), '.cache/node-gyp', process.versions.node, 'include/node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'node_api.h')));
}

function compiler(env: Record<string, string | undefined>): string | undefined {
  if (env.CC) return env.CC;
  return ['cc', 'gcc', 'clang'].map((c) => which(c, env)).find(Boolean);
}

let sourceHash = '';

/** Where the addon for this source, platform and CPU lives once built (the source is read once per process). */
export function addonPath(env: Record<string, string | undefined>): string {
  if (!sourceHash) {
    const hash = createHash('sha256');
    for (const file of [SOURCE, ...HEADERS]) hash.update(readFileSync(file));
    sourceHash = hash.digest('hex').slice(0, 12);
  }
  return join(cacheDir(env, 'native'), `vu-socket-${sourceHash}-${process.platform}-${process.arch}.node`);
}

/** Loads the addon in this thread to prove it works (a broken build must not reach the VUs). */
function probe(path: string): string | null {
  try {
    const mod = { exports: {} as { open?: () => number } };
    process.dlopen(mod, path);
    return typeof mod.exports.open === 'function' && mod.exports.open() === 0
      ? null
      : 'the built addon does not export the expected calls';
  } catch (err) {
    return (err as Error).message;
  }
}

async function compile(out: string, env: Record<string, string | undefined>): Promise<AddonBuild> {
  if (process.platform === 'win32') return { path: null, reason: 'per-VU sockets need a POSIX system' };
  const cc = compiler(env);
  if (!cc) return { path: null, reason: 'no C compiler found (install gcc: apt-get install gcc, or set CC)' };
  const headers = nodeHeaders(env);
  if (!headers)
    return {
      path: null,
      reason: "Node's headers (node_api.h) not found; set NODE_INCLUDE_DIR to the folder holding them",
    };
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  const args = ['-O2', '-shared', '-fPIC', '-I', headers, '-o', tmp, SOURCE];
  if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
  try {
    await promisify(execFile)(cc, args, { timeout: 60_000, env });
  } catch (err) {
    await rm(tmp, { force: true });
    const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message)
      .trim()
      .split('\n')
      .slice(0, 3)
      .join(' | ');
    return { path: null, reason: `${cc} failed: ${stderr}` };
  }
  const broken = probe(tmp);
  if (broken) {
    await rm(tmp, { force: true });
    return { path: null, reason: `the built addon does not load: ${broken}` };
  }
  // Concurrent builders (parallel test files) each write their own temp file; the rename is atomic.
  await rename(tmp, out);
  return { path: out, built: true };
}

const builds = new Map<string, Promise<AddonBuild>>();

/** The addon's path, building it first when needed; never throws (a reason comes back instead). */
export function ensureVuSocketAddon(env: Record<string, string | undefined>): Promise<AddonBuild> {
  const out = addonPath(env);
  let pending = builds.get(out);
  if (!pending) {
    pending = existsSync(out) && !probe(out) ? Promise.resolve({ path: out, built: false }) : compile(out, env);
    builds.set(out, pending);
  }
  return pending;
}
