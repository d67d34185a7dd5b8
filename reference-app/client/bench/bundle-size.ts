import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logger } from '../../../toolkit/cli/io.ts';
import type { CliIo } from '../../../toolkit/cli/io.ts';
import { EXIT, ToolkitError, usageError } from '../../../toolkit/errors.ts';
import { runWebpack } from '../build.ts';
import { initialJsFromStats } from '../webpack/initial-js.ts';
import type { WebpackStatsJson } from '../webpack/initial-js.ts';
import { findDevelopmentModules } from '../webpack/production-builds.ts';
import { createClientConfig, DASHBOARD_CHUNK } from '../webpack.config.ts';

/** The target: initial JavaScript for the dashboard route, gzipped, kB = 1000 bytes. */
export const INITIAL_JS_TARGET_BYTES = 95_000;

const HELP = `Usage: npx tsx scripts/bench/bundle-size.ts [--quiet]

Builds the client for production into a temporary folder and prints one JSON
line: the dashboard route's initial JS (entry scripts + route chunk, gzip)
against its ${INITIAL_JS_TARGET_BYTES / 1000} kB target, and every module of a
development build (a /development/ folder, *.development.js) found in any
production chunk, the service worker's included. Exit 1 when either fails.
`;

const kB = (bytes: number): number => Math.round(bytes / 100) / 10;

/**
 * `npx tsx scripts/bench/bundle-size.ts`: a fresh production build (so the
 * figures and the module list come from one compilation), then one JSON line.
 */
export async function runBundleSize(io: CliIo): Promise<number> {
  if (io.argv.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const unknown = io.argv.find((a) => a !== '--quiet' && a !== '--debug');
  if (unknown) throw usageError(`unknown argument "${unknown}"`);
  const log = logger(io, io.argv.includes('--quiet'));
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'perfkit-bundle-size-'));
  try {
    log(`building the client (production) in ${outDir}…`);
    const stats = await runWebpack(createClientConfig({ mode: 'production', outDir, analyze: false }));
    if (stats.hasErrors())
      throw new ToolkitError('BUILD_FAILED', 'the client build failed', {
        fix: 'run `npm run build` to see the errors',
      });
    const json = stats.toJson({ all: false, entrypoints: true, chunkGroups: true, assets: true }) as WebpackStatsJson;
    const js = initialJsFromStats(json, { source: 'the production build', dir: outDir }, DASHBOARD_CHUNK);
    for (const s of js.scripts) log(`${s.name.padEnd(36)} ${kB(s.gzipBytes).toFixed(1).padStart(7)} kB gzip`);
    log(`initial JS for /dashboard: ${kB(js.gzipBytes)} kB gzip (target ${kB(INITIAL_JS_TARGET_BYTES)} kB)`);
    const development = findDevelopmentModules(stats.compilation);
    const chunks = [stats.compilation, ...stats.compilation.children].reduce((n, c) => n + c.chunks.size, 0);
    if (development.length === 0) log(`development builds: none in ${chunks} production chunks`);
    for (const d of development) log(`development build in chunk ${d.chunk}: ${d.modules.join(', ')}`);
    const sizeOk = js.gzipBytes <= INITIAL_JS_TARGET_BYTES;
    const pass = sizeOk && development.length === 0;
    io.stdout.write(
      JSON.stringify({
        bench: 'bundle-size',
        route: '/dashboard',
        initialJsGzipBytes: js.gzipBytes,
        initialJsGzipKb: kB(js.gzipBytes),
        initialJsBytes: js.bytes,
        scripts: js.scripts.map((s) => ({ name: s.name, gzipBytes: s.gzipBytes })),
        targetGzipBytes: INITIAL_JS_TARGET_BYTES,
        ratioToTarget: Math.round((js.gzipBytes / INITIAL_JS_TARGET_BYTES) * 1000) / 1000,
        chunksChecked: chunks,
        developmentModules: development,
        pass,
      }) + '\n',
    );
    return pass ? EXIT.ok : EXIT.budgetFailed;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
