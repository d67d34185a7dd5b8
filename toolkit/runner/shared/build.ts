/**
 * The shared model's three files, written next to the run's isolate bundle: the host thread's
 * entry (host.cjs), the VU runtime every VU context evaluates (runtime.cjs: the k6 modules and
 * boot.ts's command loop, compiled once per thread, run once per VU), and the script compiled by
 * transform.ts (script.js), or the constructs that keep it off the model.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { compileForSharedVus } from './transform.ts';
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

/** The isolate VUs' bridge (Atomics.wait) is replaced by the shared one wherever the runtime imports it. */
const sharedBridge: Plugin = {
  name: 'perfkit-shared-bridge',
  setup(b) {
    b.onResolve({ filter: /\/bridge(\.ts|\.js)?$/ }, (args) =>
      args.importer.startsWith(VU) ? { path: join(SHARED_VU, `bridge${EXT}`) } : undefined,
    );
  },
};

const RUNTIME_ENTRY = [
  `import ${JSON.stringify(join(VU, `globals${EXT}`))};`,
  `import * as k6 from ${JSON.stringify(join(SHARED_VU, `k6${EXT}`))};`,
  `import * as http from ${JSON.stringify(join(SHARED_VU, `k6-http${EXT}`))};`,
  `import * as data from ${JSON.stringify(join(SHARED_VU, `k6-data${EXT}`))};`,
  `import * as metrics from ${JSON.stringify(join(VU, `k6-metrics${EXT}`))};`,
  `import * as execution from ${JSON.stringify(join(VU, `k6-execution${EXT}`))};`,
  `import * as encoding from ${JSON.stringify(join(VU, `k6-encoding${EXT}`))};`,
  `import * as crypto from ${JSON.stringify(join(VU, `k6-crypto${EXT}`))};`,
  `export { boot } from ${JSON.stringify(join(VU, `boot${EXT}`))};`,
  `export const modules = { k6, 'k6/http': http, 'k6/data': data, 'k6/metrics': metrics, 'k6/execution': execution, 'k6/encoding': encoding, 'k6/crypto': crypto };`,
].join('\n');

async function buildRuntime(outfile: string): Promise<void> {
  await build({
    stdin: { contents: RUNTIME_ENTRY, resolveDir: HERE, loader: 'ts', sourcefile: 'shared-runtime.ts' },
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [sharedBridge],
    // The runtime's import.meta.url is only used to find the runner's folders, which boot() is given.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(RUNNER, 'stack.ts')).href) },
    logLevel: 'silent',
  });
  // Evaluated in each VU's context as a function of the module shims.
  const code = await readFile(outfile, 'utf8');
  await writeFile(outfile, `(function (require, module, exports) {\n${code}\n})`);
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

/** The script as one ES module, k6 imports kept, for transform.ts (the isolate bundle already vetted it). */
async function scriptModule(scriptPath: string): Promise<string> {
  const out = await build({
    entryPoints: [scriptPath],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'esnext',
    external: ['k6', 'k6/*'],
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** Builds the shared model's files into `dir` (the run's bundle folder, removed with it). */
export async function buildShared(scriptPath: string, dir: string): Promise<SharedBuild> {
  let source: string;
  try {
    source = await scriptModule(scriptPath);
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string }> }).errors?.[0]?.text ?? String(err);
    return {
      ok: false,
      unsupported: [{ construct: `code the shared model cannot bundle (${first})`, where: scriptPath }],
    };
  }
  const compiled = compileForSharedVus(source, pathToFileURL(scriptPath).href);
  if (!compiled.ok) return compiled;
  const scriptOut = join(dir, 'shared-script.js');
  const runtimePath = join(dir, 'shared-runtime.cjs');
  const hostPath = join(dir, 'shared-host.cjs');
  await Promise.all([writeFile(scriptOut, compiled.code), buildRuntime(runtimePath), buildHost(hostPath)]);
  return { ok: true, hostPath, runtimePath, scriptPath: scriptOut };
}
