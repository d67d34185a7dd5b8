/**
 * The shared model's three files: the host thread's entry (shared-host-*.cjs) and the VU runtime
 * every VU context evaluates (shared-runtime-*.cjs: the k6 modules and boot.ts's command loop,
 * compiled once per thread, run once per VU), both cached by source hash, and the script compiled
 * by transform.ts (shared-script.js, next to the run's isolate bundle), or the constructs that keep
 * it off the model.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transform, type Plugin } from 'esbuild';
import { cacheDir } from '../../process/cache-dir.ts';
import { composeMaps } from './source-map.ts';
import { compileForSharedVus, LOCAL_GLOBALS } from './transform.ts';
import type { Unsupported } from './detect.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUNNER = join(HERE, '..');
const VU = join(RUNNER, 'vu');
const SHARED_VU = join(HERE, 'vu');
/** The sources here, or the compiled JavaScript of an installed package. */
const EXT = existsSync(join(HERE, 'host.ts')) ? '.ts' : '.js';

/** The files a shared run needs, or why the script cannot use the model. */
export type SharedBuild =
  { ok: true; hostPath: string; runtimePath: string; scriptPath: string } | { ok: false; unsupported: Unsupported[] };

/**
 * The isolate VUs' bridge (Atomics.wait) is replaced by the shared one wherever the runtime imports it,
 * and the HTML forms by a shim that loads them on first call (shared/vu/html-forms.ts).
 */
const sharedBridge: Plugin = {
  name: 'perfkit-shared-bridge',
  setup(b) {
    b.onResolve({ filter: /\/bridge(\.ts|\.js)?$/ }, (args) =>
      args.importer.startsWith(VU) ? { path: join(SHARED_VU, `bridge${EXT}`) } : undefined,
    );
    b.onResolve({ filter: /\/html-forms(\.ts|\.js)?$/ }, (args) =>
      args.importer === join(VU, `http-response${EXT}`) ? { path: join(SHARED_VU, `html-forms${EXT}`) } : undefined,
    );
  },
};

/** k6 modules nearly every script imports: ordinary ES modules of the runtime bundle, evaluated with it. */
const EAGER_MODULES: Record<string, string> = {
  k6: join(SHARED_VU, `k6${EXT}`),
  'k6/http': join(SHARED_VU, `k6-http${EXT}`),
};
/** The others, evaluated in a VU's context only when its script imports them. */
const LAZY_MODULES: Record<string, string> = {
  'k6/data': join(SHARED_VU, `k6-data${EXT}`),
  'k6/metrics': join(VU, `k6-metrics${EXT}`),
  'k6/execution': join(VU, `k6-execution${EXT}`),
  'k6/encoding': join(VU, `k6-encoding${EXT}`),
  'k6/crypto': join(VU, `k6-crypto${EXT}`),
};

const EAGER_ENTRY = [
  `import ${JSON.stringify(join(VU, `globals${EXT}`))};`,
  ...Object.values(EAGER_MODULES).map((f, i) => `import * as m${i} from ${JSON.stringify(f)};`),
  `export { boot } from ${JSON.stringify(join(VU, `boot${EXT}`))};`,
  `const eager = { ${Object.keys(EAGER_MODULES)
    .map((name, i) => `${JSON.stringify(name)}: m${i}`)
    .join(', ')} };`,
  'export { eager };',
].join('\n');

const RUNTIME_ENTRY = [
  EAGER_ENTRY,
  'export const modules = {',
  '  ...eager,',
  ...Object.entries(LAZY_MODULES).map(
    ([name, file]) => `  get ${JSON.stringify(name)}() { return require(${JSON.stringify(file)}); },`,
  ),
  '};',
].join('\n');

const RUNTIME_OPTIONS = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The runtime's import.meta.url is only used to find the runner's folders, which boot() is given.
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(RUNNER, 'stack.ts')).href) },
  logLevel: 'silent',
} as const;

/**
 * Every runtime module the eager part does not import becomes a CommonJS module of the bundle: esbuild
 * then wraps its whole body in a function run on its first require, where an ES module's functions,
 * classes and tables would be created in every VU's context as the bundle is evaluated (an ES module
 * required lazily keeps its function declarations at the bundle's top level). Measured per VU context,
 * README "Shared VU model".
 */
async function lazyModules(): Promise<Plugin> {
  const eager = await build({
    ...RUNTIME_OPTIONS,
    stdin: { contents: EAGER_ENTRY, resolveDir: HERE, loader: 'ts', sourcefile: 'shared-runtime.ts' },
    absWorkingDir: RUNNER,
    write: false,
    outfile: 'eager.cjs',
    metafile: true,
    // What the eager part reaches only through a require() (shared/vu/html-forms.ts) is lazy too.
    plugins: [
      sharedBridge,
      {
        name: 'perfkit-requires',
        setup: (b) =>
          b.onResolve({ filter: /.*/ }, (a) =>
            a.kind === 'require-call' ? { path: a.path, external: true } : undefined,
          ),
      },
    ],
  });
  const eagerFiles = new Set(Object.keys(eager.metafile.inputs).map((f) => join(RUNNER, f)));
  const lazy = (path: string): boolean =>
    /\.(ts|js)$/.test(path) && !eagerFiles.has(path) && !path.includes(`${sep}node_modules${sep}`);
  return {
    name: 'perfkit-lazy-modules',
    setup(b) {
      // A namespace of their own: in the file namespace the package's "type": "module" would make
      // esbuild read the transformed files as ES modules again.
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'lazy' || !(args.path.startsWith('.') || isAbsolute(args.path))) return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'lazy',
        });
        if (r.errors.length > 0 || r.namespace !== 'file' || !lazy(r.path))
          return r.errors.length > 0 ? { errors: r.errors } : r;
        return { path: r.path, namespace: 'perfkit-lazy' };
      });
      b.onLoad({ filter: /.*/, namespace: 'perfkit-lazy' }, async (args) => {
        const out = await transform(await readFile(args.path, 'utf8'), {
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
          format: 'cjs',
          target: RUNTIME_OPTIONS.target,
          define: RUNTIME_OPTIONS.define,
          sourcefile: args.path,
        });
        return { contents: out.code, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

async function buildRuntime(outfile: string): Promise<void> {
  await build({
    ...RUNTIME_OPTIONS,
    stdin: { contents: RUNTIME_ENTRY, resolveDir: HERE, loader: 'ts', sourcefile: 'shared-runtime.ts' },
    outfile,
    plugins: [sharedBridge, await lazyModules()],
  });
  // Evaluated in each VU's context as a function of the module shims.
  const code = await readFile(outfile, 'utf8');
  // Built-ins through local bindings (transform.ts LOCAL_GLOBALS): the runtime runs per request, in a vm context.
  // console is the runtime's own (globals.ts sets it after this line runs).
  const globals = [
    ...LOCAL_GLOBALS.filter((g) => g !== 'console'),
    'performance',
    'Atomics',
    'URL',
    'TextEncoder',
    'TextDecoder',
  ];
  const locals = globals.filter((g) => !new RegExp(`(var|let|const|function|class) ${g}\\b`).test(code));
  await writeFile(
    outfile,
    `(function (require, module, exports) {\nconst { ${locals.join(', ')} } = globalThis;\n${code}\n})`,
  );
}

async function buildHost(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(HERE, `host${EXT}`)],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(RUNNER, 'stack.ts')).href) },
    logLevel: 'silent',
  });
}

/** The script as one ES module with its source map, k6 imports kept, for transform.ts (the isolate bundle already vetted it). */
async function scriptModule(scriptPath: string, dir: string): Promise<{ code: string; map: string }> {
  const out = await build({
    entryPoints: [scriptPath],
    outfile: join(dir, 'module.js'),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'esnext',
    sourcemap: 'external',
    sourcesContent: false,
    external: ['k6', 'k6/*'],
    logLevel: 'silent',
  });
  const file = (ext: string): string => out.outputFiles.find((f) => f.path.endsWith(ext))!.text;
  return { code: file('.js'), map: file('.js.map') };
}

/** Every source the host and runtime bundles are built from (runner/ and k6-core/, tests left out). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.test\.ts$/.test(f) && !f.includes(`${sep}fixtures${sep}`));
}

let cached: Promise<{ hostPath: string; runtimePath: string }> | null = null;

/**
 * The host and runtime bundles depend on the runner's sources only: built once per source hash into
 * the cache folder (written under a temporary name, then renamed, so a concurrent run never reads
 * half a file), which keeps a shared run's start-up to the script's own compile step.
 */
function engineBundles(env: Record<string, string | undefined>): Promise<{ hostPath: string; runtimePath: string }> {
  cached ??= (async () => {
    const hash = createHash('sha256').update(process.version);
    for (const f of [...sourceFiles(RUNNER), ...sourceFiles(join(RUNNER, '..', 'k6-core'))].sort())
      hash.update(f).update(readFileSync(f));
    const key = hash.digest('hex').slice(0, 12);
    const dir = cacheDir(env, 'shared');
    const hostPath = join(dir, `shared-host-${key}.cjs`);
    const runtimePath = join(dir, `shared-runtime-${key}.cjs`);
    if (existsSync(hostPath) && existsSync(runtimePath)) return { hostPath, runtimePath };
    await mkdir(dir, { recursive: true });
    const tmp = `.${process.pid}-${Date.now()}`;
    await Promise.all([buildHost(hostPath + tmp), buildRuntime(runtimePath + tmp)]);
    await Promise.all([rename(hostPath + tmp, hostPath), rename(runtimePath + tmp, runtimePath)]);
    return { hostPath, runtimePath };
  })();
  cached.catch(() => (cached = null));
  return cached;
}

/** Builds the script's part of the shared model into `dir` (the run's bundle folder, removed with it). */
export async function buildShared(
  scriptPath: string,
  dir: string,
  env: Record<string, string | undefined> = {},
): Promise<SharedBuild> {
  let source: { code: string; map: string };
  try {
    source = await scriptModule(scriptPath, dir);
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string }> }).errors?.[0]?.text ?? String(err);
    return {
      ok: false,
      unsupported: [{ construct: `code the shared model cannot bundle (${first})`, where: scriptPath }],
    };
  }
  const compiled = compileForSharedVus(source.code, pathToFileURL(scriptPath).href);
  if (!compiled.ok) return compiled;
  const scriptOut = join(dir, 'shared-script.js');
  const map = composeMaps(compiled.map, source.map, dir);
  const [bundles] = await Promise.all([
    engineBundles(env),
    writeFile(scriptOut, compiled.code),
    writeFile(`${scriptOut}.map`, map),
  ]);
  return { ok: true, ...bundles, scriptPath: scriptOut };
}
