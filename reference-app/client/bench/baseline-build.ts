/**
 * Builds the client as it was at another commit into a temporary folder, so a
 * benchmark can serve the old and the new build side by side in one run (the
 * machine's load then affects both alike). The commit's `reference-app/` (and what it builds with) is
 * extracted with `git archive` (the repository and its worktrees are not
 * touched) and built with its own webpack config and this checkout's
 * node_modules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Configuration } from 'webpack';
import { ToolkitError } from '../../../toolkit/errors.ts';
import { runWebpack } from '../build.ts';
import { CLIENT_DIR } from '../webpack.config.ts';

const REPO_DIR = path.resolve(CLIENT_DIR, '../..');
const ARCHIVED = ['reference-app', 'toolkit', 'package.json', 'tsconfig.base.json'];

/** A built client of another commit; remove() deletes its folder. */
export interface BaselineBuild {
  ref: string;
  commit: string;
  outDir: string;
  remove(): void;
}

interface OldConfigModule {
  createClientConfig?: (options: { mode: 'production'; outDir: string; analyze?: boolean }) => Configuration;
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPO_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function resolveCommit(ref: string): string {
  try {
    return git(['rev-parse', '--verify', `${ref}^{commit}`]);
  } catch {
    throw new ToolkitError('USAGE', `--compare ${ref}: not a commit of this repository`, {
      fix: 'give a branch, tag or commit hash that `git rev-parse` knows, e.g. --compare HEAD~1',
    });
  }
}

async function compile(config: Configuration): Promise<void> {
  const stats = await runWebpack(config);
  if (stats.hasErrors()) {
    const first = stats.toJson({ all: false, errors: true }).errors?.[0]?.message ?? 'unknown error';
    throw new ToolkitError('BUILD_FAILED', `the baseline client build failed: ${first}`, {
      fix: 'check that the commit builds: git checkout it elsewhere and run `npm run build`',
    });
  }
}

/** Extracts `ref`'s reference-app into a temp folder and builds its client for production there. */
export async function buildBaseline(ref: string, log: (line: string) => void): Promise<BaselineBuild> {
  const commit = resolveCommit(ref);
  const root = mkdtempSync(path.join(os.tmpdir(), 'perfkit-baseline-'));
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  try {
    log(`building the client of ${ref} (${commit.slice(0, 10)}) in ${root}…`);
    // The client, the toolkit modules its build imports, and the root files its config reads.
    const archive = execFileSync('git', ['archive', '--format=tar', commit, ...ARCHIVED], {
      cwd: REPO_DIR,
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', root], { input: archive });
    // Packages resolve from this checkout: the comparison is about the app's code and config.
    symlinkSync(path.join(REPO_DIR, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const configFile = path.join(root, 'reference-app/client/webpack.config.ts');
    if (!existsSync(configFile))
      throw new ToolkitError('BUILD_FAILED', `${ref} has no reference-app/client/webpack.config.ts`, {
        fix: 'compare with a commit that has the webpack client build',
      });
    const mod = (await import(pathToFileURL(configFile).href)) as OldConfigModule;
    if (typeof mod.createClientConfig !== 'function')
      throw new ToolkitError('BUILD_FAILED', `${configFile} exports no createClientConfig()`, {
        fix: 'compare with a commit whose webpack.config.ts exports createClientConfig({ mode, outDir })',
      });
    const outDir = path.join(root, 'dist');
    mkdirSync(outDir);
    // No persistent cache: it would evict this checkout's own build cache.
    await compile({ ...mod.createClientConfig({ mode: 'production', outDir, analyze: false }), cache: false });
    return { ref, commit, outDir, remove };
  } catch (err) {
    remove();
    throw err;
  }
}
