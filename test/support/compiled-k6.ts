/**
 * The built-in runner as compiled JavaScript, for the conformance matrix: `scripts/build-lib.ts` into
 * .tmp/k6-lib/ (git-ignored, apart from dist-lib/ so that `npm pack` rebuilding dist-lib/ cannot pull it
 * away from under a running matrix), plus an entry that does what scripts/k6.ts does (k6-style signals).
 * Under tsx a start took ~2.4 s with six at once on 2 cores (vs ~1.45 s compiled), and the cases that
 * signal 2 s in (c35, c38) then hit the runner before its first iteration, or in its start-up.
 *
 * The build is keyed by a hash of every file it is made from (toolkit/, bin/, the tsconfigs, the build
 * script, package.json): any change to them rebuilds it, so the matrix never runs a stale build.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));
export const COMPILED_DIR = join(CHECKOUT, '.tmp', 'k6-lib');
/** What the matrix runs: `node COMPILED_K6_ENTRY run …`. */
export const COMPILED_K6_ENTRY = join(COMPILED_DIR, 'k6-entry.mjs');
const HASH_FILE = join(COMPILED_DIR, '.source-hash');
const INPUTS = ['toolkit', 'bin', 'tsconfig.base.json', 'tsconfig.lib.json', 'scripts/build-lib.ts', 'package.json'];

const ENTRY = `// Written by test/support/compiled-k6.ts: scripts/k6.ts over the compiled toolkit.
import { main } from './toolkit/cli/io.js';
import { runK6Cli } from './toolkit/cli/k6-run.js';

await main(runK6Cli, 'k6');
`;

function files(rel: string): string[] {
  const abs = join(CHECKOUT, rel);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(CHECKOUT, join(e.parentPath, e.name)));
}

/** A hash of every input file's path and content, with the entry's text. */
export function sourceHash(): string {
  const h = createHash('sha256').update(ENTRY);
  for (const f of INPUTS.flatMap(files).sort()) h.update(`\0${f}\0`).update(readFileSync(join(CHECKOUT, f)));
  return h.digest('hex');
}

/**
 * Builds .tmp/k6-lib/ unless it was built from exactly the current sources; returns how long that took
 * (0 when up to date). Built into a scratch folder and renamed, so a failed build leaves no half folder.
 */
export function ensureCompiledK6(): number {
  const hash = sourceHash();
  const fresh = () =>
    existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === hash && existsSync(COMPILED_K6_ENTRY);
  if (fresh()) return 0;
  // Several test files (the matrix's columns) may find it stale at once: one builds, the others wait for it,
  // so no build replaces the folder another file's cases are running from.
  const release = lock();
  try {
    return fresh() ? 0 : build(hash);
  } finally {
    release();
  }
}

/** Takes .tmp/k6-lib.lock (a folder: mkdir is atomic), waiting up to 5 min; one older than that is stale. */
function lock(): () => void {
  const dir = `${COMPILED_DIR}.lock`;
  mkdirSync(join(COMPILED_DIR, '..'), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(dir);
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited 5 min for ${dir}: remove it if no test is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function build(hash: string): number {
  const started = Date.now();
  const scratch = `${COMPILED_DIR}.${process.pid}`;
  const build = spawnSync(process.execPath, ['--import', 'tsx', join(CHECKOUT, 'scripts', 'build-lib.ts'), scratch], {
    cwd: CHECKOUT,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(
      `building the compiled runner for the conformance matrix failed (scripts/build-lib.ts ${relative(CHECKOUT, scratch)}, exit ${build.status}); fix what tsc reports:\n${build.stdout}${build.stderr}`,
    );
  }
  writeFileSync(join(scratch, 'k6-entry.mjs'), ENTRY);
  writeFileSync(join(scratch, '.source-hash'), hash);
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  renameSync(scratch, COMPILED_DIR);
  return Date.now() - started;
}
