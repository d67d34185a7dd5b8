/**
 * The built-in engine's worker entry: k6-core bundles the script with the k6
 * modules resolved to this runner's VU runtime (vu/*.ts), behind the globals
 * and the command loop every VU needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleScript, checkScript, type SupportedK6Module } from '../k6-core/index.ts';
import { BUNDLE_FILE, ENGINE_DIRS } from './stack.ts';
import { htmlParserPath } from './vu/html-load.ts';

const VU_DIR = join(dirname(fileURLToPath(import.meta.url)), 'vu');
/** The engine's own code, which the bundle includes and which may import Node's modules: runner/ and k6-core/. */
const TRUSTED = [
  dirname(fileURLToPath(import.meta.url)),
  join(dirname(fileURLToPath(import.meta.url)), '..', 'k6-core'),
].map((d) => d + sep);
/** The VU runtime's sources here, or its compiled JavaScript in an installed package. */
const EXT = existsSync(join(VU_DIR, 'boot.ts')) ? '.ts' : '.js';

/** Which file of vu/ implements each k6 module of k6-core's allow-list. */
const BUILTIN_MODULES: Record<SupportedK6Module, string> = {
  k6: `k6${EXT}`,
  'k6/http': `k6-http${EXT}`,
  'k6/metrics': `k6-metrics${EXT}`,
  'k6/execution': `k6-execution${EXT}`,
  'k6/data': `k6-data${EXT}`,
  'k6/html': `k6-html${EXT}`,
  'k6/encoding': `k6-encoding${EXT}`,
  'k6/crypto': `k6-crypto${EXT}`,
  'k6/timers': `k6-timers${EXT}`,
};

const files = Object.fromEntries(
  Object.entries(BUILTIN_MODULES).map(([module, file]) => [module, join(VU_DIR, file)]),
) as Record<SupportedK6Module, string>;

/** A script that parses HTML loads the parser during init (a few hundred ms), not in its first iteration. */
const PARSES_HTML = /k6\/html|\.html\(|\.submitForm\(|\.clickLink\(/;

/** Builds the worker entry for the built-in runner; returns the bundle's path in a fresh temp folder. */
export async function bundleForRunner(scriptPath: string, outDir?: string): Promise<string> {
  const abs = checkScript(scriptPath);
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'perfkit-runner-')));
  const outfile = join(dir, BUNDLE_FILE);
  // Evaluated before the script: where the VU loads the HTML parser from (outside the bundle), and
  // k6's global timers.
  const setup = join(dir, 'vu-setup.mjs');
  await writeFile(
    setup,
    [
      `import { loadHtmlParser, setHtmlParserPath } from ${JSON.stringify(join(VU_DIR, `html-load${EXT}`))};`,
      `import ${JSON.stringify(join(VU_DIR, `k6-timers${EXT}`))};`,
      `setHtmlParserPath(${JSON.stringify(htmlParserPath())});`,
      PARSES_HTML.test(readFileSync(abs, 'utf8')) ? 'loadHtmlParser();' : '',
    ].join('\n'),
  );
  const contents = [
    `import ${JSON.stringify(join(VU_DIR, `globals${EXT}`))};`,
    `import ${JSON.stringify(setup)};`,
    `import * as script from ${JSON.stringify(abs)};`,
    `import { boot } from ${JSON.stringify(join(VU_DIR, `boot${EXT}`))};`,
    `boot(script, ${JSON.stringify(ENGINE_DIRS)});`,
  ].join('\n');
  try {
    await bundleScript({ contents, resolveDir: dirname(abs) }, outfile, {
      kind: 'engine',
      files,
      trusted: TRUSTED,
      mainScript: abs,
    });
  } catch (err) {
    if (!outDir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return outfile;
}
