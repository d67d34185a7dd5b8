/** Finds a real k6 binary: an explicit path, K6_BIN, or `k6` on PATH. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The k6 binary to use, or null when none is installed. Env is passed in, never read from the process environment. */
export function findK6(opts: { k6Bin?: string; processEnv?: Record<string, string | undefined> }): string | null {
  const env = opts.processEnv ?? {};
  for (const explicit of [opts.k6Bin, env.K6_BIN]) {
    if (explicit) return isExecutable(explicit) ? explicit : null;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'k6');
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}
