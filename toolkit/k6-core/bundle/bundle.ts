/**
 * Bundles a k6 script (TS or JS, relative imports) with esbuild. For real k6
 * the k6 modules stay imports and the result is plain JS; for an engine of our
 * own they resolve to that engine's files, and only the modules on the
 * allow-list may be imported.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToolkitError } from '../../errors.ts';
import { K6_EXIT_CODE } from '../exit-codes.ts';

/** The k6 modules a script may import when it runs on the built-in engine; anything else needs real k6. */
export const SUPPORTED_K6_MODULES = [
  'k6',
  'k6/http',
  'k6/metrics',
  'k6/execution',
  'k6/data',
  'k6/html',
  'k6/encoding',
  'k6/crypto',
  'k6/timers',
] as const;

/** One module of the allow-list. */
export type SupportedK6Module = (typeof SUPPORTED_K6_MODULES)[number];

/**
 * Where k6 imports go: left as imports for real k6, or to an engine's implementation file per module.
 * For an engine, `trusted` folders hold its own code (which may import Node's modules); a script and
 * its relative imports may import only k6's modules and files, as in k6.
 */
export type K6ModuleTarget =
  | { kind: 'k6' }
  | { kind: 'engine'; files: Record<SupportedK6Module, string>; trusted?: string[]; mainScript?: string };

/** What to bundle: a script file, or generated source (an engine's entry that imports the script). */
export type BundleEntry = string | { contents: string; resolveDir: string };

const isSupported = (path: string): path is SupportedK6Module =>
  (SUPPORTED_K6_MODULES as readonly string[]).includes(path);

function unsupported(what: string, importer: string): ToolkitError {
  return new ToolkitError(
    'UNSUPPORTED_K6_API',
    `${importer} imports "${what}", which the built-in runner does not provide (it provides ${SUPPORTED_K6_MODULES.join(', ')})`,
    {
      fix: 'run this script with real k6 (--engine k6; install k6 or set K6_BIN), or remove the import',
      exitCode: K6_EXIT_CODE.scriptException,
    },
  );
}

const refusal = (what: string): string =>
  `The moduleSpecifier "${what}" couldn't be recognised as something k6 supports.`;

/** k6 2.x's refusal of a module it cannot resolve (a Node built-in, a bare npm name), at start: exit 107. */
function unknownModule(what: string, importer: string, mainScript: string | undefined): ToolkitError {
  // k6's line already names the main script; a file it imports is named here.
  const where = importer === mainScript ? '' : `${importer}: `;
  return new ToolkitError('SCRIPT_INVALID', `${where}${refusal(what)}`, {
    fix:
      'a k6 script may import only k6 modules (k6, k6/http, …), relative files and https:// URLs; ' +
      'bundle an npm package into a relative file first, and use open() or k6/http instead of Node APIs',
    exitCode: K6_EXIT_CODE.scriptException,
  });
}

/** Not a k6 module, a relative or absolute path or a URL: a Node built-in or an npm package name. */
const isBare = (path: string): boolean => !/^(\.{0,2}\/|[a-zA-Z]:[\\/]|\w+:\/\/)/.test(path) && !/^k6(\/|$)/.test(path);

function k6Modules(target: K6ModuleTarget): Plugin {
  return {
    name: 'k6-modules',
    setup(b) {
      b.onResolve({ filter: /^k6(\/|$)/ }, (args) => {
        if (target.kind === 'k6') return { path: args.path, external: true };
        if (!isSupported(args.path)) throw unsupported(args.path, args.importer || 'the script');
        return { path: target.files[args.path] };
      });
      b.onResolve({ filter: /^https?:\/\// }, (args) => {
        if (target.kind === 'k6') return { path: args.path, external: true };
        throw unsupported(args.path, args.importer || 'the script');
      });
      if (target.kind === 'engine')
        b.onResolve({ filter: /.*/ }, (args) => {
          if (
            !isBare(args.path) ||
            args.importer === '' ||
            (target.trusted ?? []).some((d) => args.importer.startsWith(d))
          )
            return undefined;
          // k6 refuses a require() when it runs, with its stack: a module that throws when required.
          if (args.kind === 'require-call') return { path: args.path, namespace: 'k6-refused' };
          throw unknownModule(args.path, args.importer, target.mainScript);
        });
      b.onLoad({ filter: /.*/, namespace: 'k6-refused' }, (args) => ({
        contents:
          `const e = new Error(${JSON.stringify(refusal(args.path))});\n` +
          `Object.defineProperty(e, 'name', { value: 'GoError' });\nthrow e;\n`,
        loader: 'js',
      }));
    },
  };
}

const JS_RESERVED = new Set(
  'break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static await'.split(
    ' ',
  ),
);

/** goja's name for the token esbuild found where it did not belong (`Unexpected token ;`). */
function gojaUnexpected(found: string): string {
  if (found === 'end of file') return 'Unexpected end of input';
  const token = /^"(.*)"$/.exec(found)?.[1] ?? found;
  if (/^["'`]/.test(token)) return 'Unexpected string';
  if (/^\.?\d/.test(token)) return 'Unexpected number';
  if (/^[A-Za-z_$][\w$]*$/.test(token) && !JS_RESERVED.has(token)) return 'Unexpected identifier';
  return `Unexpected token ${token}`;
}

/** esbuild's wording of a syntax error as goja's (k6 2.x), where it is one of the unexpected-token kind. */
function gojaSyntaxError(text: string): string {
  const found = /^(?:Expected .* but found|Unexpected) (.+)$/.exec(text)?.[1];
  return found ? gojaUnexpected(found) : text;
}

/**
 * esbuild's first error as a catalogue error: ours as they are, a compile error in k6 2.x's words,
 * `file:///…/script.js: Line 5:34 Unexpected token ;`.
 */
function bundleError(err: unknown): ToolkitError {
  const detail = err as {
    errors?: Array<{
      text: string;
      detail?: unknown;
      location?: { file: string; line: number; column: number } | null;
    }>;
  };
  const first = detail.errors?.[0];
  if (first?.detail instanceof ToolkitError) return first.detail;
  const loc = first?.location;
  // esbuild's columns count from 0, goja's (and editors') from 1; its paths are relative to the cwd.
  const where = loc ? `${pathToFileURL(resolve(loc.file)).href}: Line ${loc.line}:${loc.column + 1} ` : '';
  return new ToolkitError('SCRIPT_INVALID', `${where}${gojaSyntaxError(first?.text ?? String(err))}`, {
    fix: 'fix the script so it compiles',
    exitCode: K6_EXIT_CODE.scriptException,
    cause: err,
  });
}

/**
 * Writes one ESM file. For an engine the bundle is a Node worker entry (node20, inline source maps so
 * stack traces name the script's own file:line); for real k6 it is neutral ES2020.
 */
export async function bundleScript(entry: BundleEntry, outfile: string, target: K6ModuleTarget): Promise<void> {
  const forEngine = target.kind === 'engine';
  try {
    await build({
      ...(typeof entry === 'string'
        ? { entryPoints: [entry] }
        : { stdin: { ...entry, loader: 'ts', sourcefile: 'vu-entry.ts' } }),
      outfile,
      bundle: true,
      format: 'esm',
      platform: forEngine ? 'node' : 'neutral',
      target: forEngine ? 'node20' : 'es2020',
      plugins: [k6Modules(target)],
      logLevel: 'silent',
      ...(forEngine ? { sourcemap: 'inline' as const, sourcesContent: false } : {}),
      write: true,
    });
  } catch (err) {
    throw bundleError(err);
  }
}

/** The script's absolute path; a missing script is invalid options (k6's exit 104). */
export function checkScript(scriptPath: string): string {
  const abs = resolve(scriptPath);
  if (!existsSync(abs)) {
    throw new ToolkitError('FILE_NOT_FOUND', `script ${scriptPath} does not exist`, {
      fix: 'pass the path of a k6 script (.js or .ts)',
      exitCode: K6_EXIT_CODE.invalidConfig,
    });
  }
  return abs;
}

/** Bundles a script to plain JS that real k6 (or k6-operator / k6 cloud) can run. */
export async function bundleForK6(scriptPath: string, outfile: string): Promise<string> {
  await bundleScript(checkScript(scriptPath), outfile, { kind: 'k6' });
  return outfile;
}
