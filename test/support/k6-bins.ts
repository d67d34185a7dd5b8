/**
 * The real k6 binaries a test can use: K6_BIN, the PERFKIT_K6_BINS list (':' or ','), `k6` on PATH, and
 * every `k6-v*` in ../shared/tools/k6/ beside the checkout when that folder exists. Each is asked its
 * version once; the same file reached twice (a link, or listed twice) counts once.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RealK6 {
  bin: string;
  /** "2.2.0" */
  version: string;
  /** major.minor, the key of an expected entry's by_version: "2.2" */
  line: string;
}

const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the machine's shared k6 binaries sit when ../shared is beside the checkout. */
export const SHARED_K6_DIR = join(CHECKOUT, '..', 'shared', 'tools', 'k6');

/** One line for a skipped k6 column: how to get one. */
export const HOW_TO_ENABLE_K6 =
  'no real k6 found: set K6_BIN=/path/to/k6 or PERFKIT_K6_BINS=/path/k6-a:/path/k6-b (or put k6 on PATH) to run these';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function candidates(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  if (env.K6_BIN) out.push(env.K6_BIN);
  for (const p of (env.PERFKIT_K6_BINS ?? '').split(/[:,]/)) if (p.trim()) out.push(p.trim());
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir) out.push(join(dir, 'k6'));
  if (existsSync(SHARED_K6_DIR))
    for (const f of readdirSync(SHARED_K6_DIR).sort()) if (/^k6-v\d/.test(f)) out.push(join(SHARED_K6_DIR, f));
  return out;
}

/** `k6 version --json` → "2.2.0", or null when the file does not answer like k6. */
function versionOf(bin: string): string | null {
  const r = spawnSync(bin, ['version', '--json'], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true' },
  });
  try {
    const v = (JSON.parse(r.stdout) as { version?: string }).version;
    return v ? v.replace(/^v/, '') : null;
  } catch {
    return null;
  }
}

let cached: RealK6[] | undefined;

/** Every distinct real k6 found, oldest version first. */
export function findRealK6s(env: Record<string, string | undefined> = process.env): RealK6[] {
  if (cached && env === process.env) return cached;
  const seen = new Set<string>();
  const found: RealK6[] = [];
  for (const bin of candidates(env)) {
    if (!executable(bin)) continue;
    const real = realpathSync(bin);
    if (seen.has(real)) continue;
    seen.add(real);
    const version = versionOf(bin);
    if (!version) continue;
    found.push({ bin, version, line: version.split('.').slice(0, 2).join('.') });
  }
  found.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
  if (env === process.env) cached = found;
  return found;
}
