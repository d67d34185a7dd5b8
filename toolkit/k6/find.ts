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

/** A k6 binary and where it was found. */
export interface FoundK6 {
  bin: string;
  source: '--k6-bin' | 'K6_BIN' | 'PATH';
}

type FindOpts = { k6Bin?: string; processEnv?: Record<string, string | undefined> };

/** The k6 binary to use and where it came from, or null. An explicit path that is not executable is null. */
export function locateK6(opts: FindOpts): FoundK6 | null {
  const env = opts.processEnv ?? {};
  if (opts.k6Bin) return isExecutable(opts.k6Bin) ? { bin: opts.k6Bin, source: '--k6-bin' } : null;
  if (env.K6_BIN) return isExecutable(env.K6_BIN) ? { bin: env.K6_BIN, source: 'K6_BIN' } : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'k6');
    if (isExecutable(candidate)) return { bin: candidate, source: 'PATH' };
  }
  return null;
}

/** The k6 binary to use, or null when none is installed. Env is passed in, never read from the process environment. */
export function findK6(opts: FindOpts): string | null {
  return locateK6(opts)?.bin ?? null;
}
