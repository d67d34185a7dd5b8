import { logger } from '../../../toolkit/cli/io.ts';
import type { CliIo } from '../../../toolkit/cli/io.ts';
import { EXIT, usageError } from '../../../toolkit/errors.ts';
import { buildClient } from '../build.ts';
import { initialJsForRoute } from '../webpack/initial-js.ts';
import { DASHBOARD_CHUNK } from '../webpack.config.ts';

/** The budget from the issue: initial JavaScript for the dashboard route, gzipped (kB = 1000 bytes). */
export const INITIAL_JS_TARGET_BYTES = 120_000;

/**
 * `npx tsx scripts/bench/bundle-size.ts`: builds the client if it is out of
 * date, then prints one JSON line with the dashboard route's initial JS.
 * Exits 1 when it is over the 120 kB gzip target.
 */
export async function runBundleSize(io: CliIo): Promise<number> {
  if (io.argv.includes('--help')) {
    io.stdout.write(
      'Usage: npx tsx scripts/bench/bundle-size.ts [--quiet]\nPrints {"bench":"bundle-size",…} with the dashboard route\'s initial JS (gzip) against its 120 kB target.\n',
    );
    return EXIT.ok;
  }
  const unknown = io.argv.find((a) => a !== '--quiet' && a !== '--debug');
  if (unknown) throw usageError(`unknown argument "${unknown}"`);
  const log = logger(io, io.argv.includes('--quiet'));
  const { statsPath } = await buildClient({ log });
  const js = initialJsForRoute(statsPath, DASHBOARD_CHUNK);
  for (const s of js.scripts) log(`${s.name.padEnd(36)} ${(s.gzipBytes / 1024).toFixed(1).padStart(7)} kB gzip`);
  const pass = js.gzipBytes <= INITIAL_JS_TARGET_BYTES;
  io.stdout.write(
    JSON.stringify({
      bench: 'bundle-size',
      route: '/dashboard',
      initialJsGzipBytes: js.gzipBytes,
      initialJsGzipKb: Math.round((js.gzipBytes / 1024) * 10) / 10,
      initialJsBytes: js.bytes,
      scripts: js.scripts.map((s) => s.name),
      targetGzipBytes: INITIAL_JS_TARGET_BYTES,
      ratioToTarget: Math.round((js.gzipBytes / INITIAL_JS_TARGET_BYTES) * 1000) / 1000,
      pass,
    }) + '\n',
  );
  return pass ? EXIT.ok : EXIT.budgetFailed;
}
