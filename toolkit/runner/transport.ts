/** Which transport serves a run's plain-http requests: each VU's own sockets (the vu-socket addon) or the shared pool. */
import { ToolkitError } from '../errors.ts';
import { K6_EXIT_CODE } from '../k6-core/index.ts';
import type { Log } from './log.ts';
import { ensureVuSocketAddon } from './native/build.ts';

/** The chosen transport, and the addon's path when VUs use their own sockets. */
export interface TransportChoice {
  transport: 'vu' | 'shared';
  addon: string | null;
}

/** The fallback to the shared pool is said once per process, not once per run. */
let fallbackWarned = false;

/** Builds the addon when the choice allows it; 'vu' without an addon is an error, 'auto' falls back with a warning. */
export async function pickTransport(
  choice: 'auto' | 'vu' | 'shared',
  env: Record<string, string | undefined>,
  log: Log,
): Promise<TransportChoice> {
  if (choice === 'shared') return { transport: 'shared', addon: null };
  const build = await ensureVuSocketAddon(env);
  if (build.path !== null) return { transport: 'vu', addon: build.path };
  if (choice === 'vu') {
    throw new ToolkitError(
      'BUILD_FAILED',
      `httpTransport "vu": the per-VU socket addon is not available: ${build.reason}`,
      {
        fix: 'install a C compiler (Debian: apt-get install gcc) or use the shared pool (--http-transport shared)',
        exitCode: K6_EXIT_CODE.invalidConfig,
      },
    );
  }
  if (!fallbackWarned) {
    fallbackWarned = true;
    log(
      'warn',
      `per-VU sockets unavailable (${build.reason}): HTTP runs on the shared connection pool, which serves about half the requests per second`,
    );
  }
  return { transport: 'shared', addon: null };
}
