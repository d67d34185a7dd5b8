/**
 * Which k6 a binary is, asked once per binary (`k6 version --json`, else the text of `k6 version`), and
 * whether perfkit can drive it: k6 1.x and 2.x are supported (K6_SUPPORTED); 0.x is refused (its CLI and
 * outputs differ), a newer major is tried with a warning.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { ToolkitError } from '../errors.ts';

const run = promisify(execFile);

/** The k6 releases perfkit drives, as documented in the README. */
export const K6_SUPPORTED = { minMajor: 1, maxMajor: 2, text: 'k6 1.x and 2.x' } as const;

export interface K6Version {
  /** "2.2.0" */
  version: string;
  major: number;
  minor: number;
  /** A newer major than tested: perfkit tries it and says so. */
  untested: boolean;
}

const cache = new Map<string, Promise<K6Version>>();

function parse(bin: string, raw: string): K6Version {
  const m = /v?(\d+)\.(\d+)\.(\d+)[\w.+-]*/.exec(raw);
  if (!m) {
    throw new ToolkitError(
      'BINARY_MISSING',
      `${bin} does not look like k6: \`${bin} version\` printed "${raw.trim()}"`,
      {
        fix: 'set K6_BIN to a k6 binary (https://grafana.com/docs/k6/latest/set-up/install-k6/)',
      },
    );
  }
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const version = m[0].replace(/^v/, '');
  if (major < K6_SUPPORTED.minMajor) {
    throw new ToolkitError('BINARY_MISSING', `${bin} is k6 v${version}; perfkit drives ${K6_SUPPORTED.text}`, {
      fix: 'install a current k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or use --engine builtin',
    });
  }
  return { version, major, minor, untested: major > K6_SUPPORTED.maxMajor };
}

async function ask(bin: string, env: Record<string, string | undefined>): Promise<K6Version> {
  const opts = { env: { ...env, K6_NO_USAGE_REPORT: 'true' } as NodeJS.ProcessEnv, timeout: 30_000 };
  try {
    const { stdout } = await run(bin, ['version', '--json'], opts);
    const v = (JSON.parse(stdout) as { version?: unknown }).version;
    if (typeof v === 'string') return parse(bin, v);
  } catch (err) {
    if (err instanceof ToolkitError) throw err;
    // Older k6 has no --json: fall back to the text form below.
  }
  try {
    const { stdout, stderr } = await run(bin, ['version'], opts);
    return parse(bin, stdout || stderr);
  } catch (err) {
    if (err instanceof ToolkitError) throw err;
    throw new ToolkitError('BINARY_MISSING', `cannot run \`${bin} version\`: ${(err as Error).message}`, {
      fix: 'check K6_BIN or your PATH',
      cause: err,
    });
  }
}

/** The binary's k6 version, asked once per file (a replaced file is asked again). */
export function k6Version(bin: string, env: Record<string, string | undefined> = {}): Promise<K6Version> {
  let key = bin;
  try {
    const st = statSync(bin);
    key = `${bin}\0${st.ino}\0${st.mtimeMs}`;
  } catch {
    // A missing file fails in ask() with its own message.
  }
  let v = cache.get(key);
  if (!v) {
    v = ask(bin, env);
    cache.set(key, v);
    v.catch(() => cache.delete(key));
  }
  return v;
}
