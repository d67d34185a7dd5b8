/** Where perfkit keeps what it builds once per source (native addons, the shared VU model's bundles). */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** PERFKIT_CACHE_DIR, else node_modules/.cache/perfkit, else `perfkit-<kind>-<uid>` in the temp dir. */
export function cacheDir(env: Record<string, string | undefined>, kind: string): string {
  if (env.PERFKIT_CACHE_DIR) return resolve(env.PERFKIT_CACHE_DIR);
  return existsSync(join(ROOT, 'node_modules'))
    ? join(ROOT, 'node_modules', '.cache', 'perfkit')
    : join(tmpdir(), `perfkit-${kind}-${process.getuid?.() ?? 0}`);
}
