/**
 * Bundles a k6 script (TS or JS, relative imports) with esbuild. For the
 * built-in runner the k6 modules resolve to our VU runtime and the result is a
 * worker entry; for real k6 they stay external and the result is plain JS.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolkitError } from '../errors.ts';

const VU_DIR = join(dirname(fileURLToPath(import.meta.url)), 'vu');

/** The k6 modules the built-in runner provides, mapped to their implementation files. */
export const BUILTIN_MODULES: Record<string, string> = {
  k6: 'k6.ts',
  'k6/http': 'k6-http.ts',
  'k6/metrics': 'k6-metrics.ts',
  'k6/execution': 'k6-execution.ts',
  'k6/data': 'k6-data.ts',
};

function unsupported(what: string, importer: string): ToolkitError {
  return new ToolkitError(
    'UNSUPPORTED_K6_API',
    `${importer} imports "${what}", which the built-in runner does not provide`,
    {
      fix: 'run this script with real k6 (--engine k6; install k6 or set K6_BIN), or remove the import',
      exitCode: 107,
    },
  );
}

function k6Modules(mode: 'builtin' | 'k6'): Plugin {
  return {
    name: 'k6-modules',
    setup(b) {
      b.onResolve({ filter: /^k6(\/|$)/ }, (args) => {
        if (mode === 'k6') return { path: args.path, external: true };
        const file = BUILTIN_MODULES[args.path];
        if (!file) throw unsupported(args.path, args.importer || 'the script');
        return { path: join(VU_DIR, file) };
      });
      b.onResolve({ filter: /^https?:\/\// }, (args) => {
        if (mode === 'k6') return { path: args.path, external: true };
        throw unsupported(args.path, args.importer || 'the script');
      });
    },
  };
}

async function runEsbuild(
  entry: { contents: string; resolveDir: string } | string,
  outfile: string,
  mode: 'builtin' | 'k6',
): Promise<void> {
  try {
    await build({
      ...(typeof entry === 'string'
        ? { entryPoints: [entry] }
        : { stdin: { ...entry, loader: 'ts', sourcefile: 'vu-entry.ts' } }),
      outfile,
      bundle: true,
      format: 'esm',
      platform: mode === 'builtin' ? 'node' : 'neutral',
      target: mode === 'builtin' ? 'node20' : 'es2020',
      plugins: [k6Modules(mode)],
      logLevel: 'silent',
      // Inline maps let VU stack traces name the script's own file:line.
      ...(mode === 'builtin' ? { sourcemap: 'inline' as const, sourcesContent: false } : {}),
      write: true,
    });
  } catch (err) {
    const detail = err as {
      errors?: Array<{ text: string; detail?: unknown; location?: { file: string; line: number } | null }>;
    };
    const first = detail.errors?.[0];
    if (first?.detail instanceof ToolkitError) throw first.detail;
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new ToolkitError('SCRIPT_INVALID', `${where}${first?.text ?? String(err)}`, {
      fix: 'fix the script so it compiles',
      exitCode: 107,
      cause: err,
    });
  }
}

function checkScript(scriptPath: string): string {
  const abs = resolve(scriptPath);
  if (!existsSync(abs)) {
    throw new ToolkitError('FILE_NOT_FOUND', `script ${scriptPath} does not exist`, {
      fix: 'pass the path of a k6 script (.js or .ts)',
      exitCode: 104,
    });
  }
  return abs;
}

/** Builds the worker entry for the built-in runner; returns the bundle's path in a fresh temp folder. */
export async function bundleForRunner(scriptPath: string, outDir?: string): Promise<string> {
  const abs = checkScript(scriptPath);
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'perfkit-runner-')));
  const outfile = join(dir, 'vu-bundle.mjs');
  const contents = [
    `import ${JSON.stringify(join(VU_DIR, 'globals.ts'))};`,
    `import * as script from ${JSON.stringify(abs)};`,
    `import { boot } from ${JSON.stringify(join(VU_DIR, 'boot.ts'))};`,
    'boot(script);',
  ].join('\n');
  try {
    await runEsbuild({ contents, resolveDir: dirname(abs) }, outfile, 'builtin');
  } catch (err) {
    if (!outDir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return outfile;
}

/** Bundles a script to plain JS that real k6 (or k6-operator / k6 cloud) can run. */
export async function bundleForK6(scriptPath: string, outfile: string): Promise<string> {
  await runEsbuild(checkScript(scriptPath), outfile, 'k6');
  return outfile;
}
