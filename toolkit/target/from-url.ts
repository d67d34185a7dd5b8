/** `--target URL`: an app someone started themselves, measured from the outside. */
import { Agent, fetch as undiciFetch } from 'undici';
import { ToolkitError } from '../errors.ts';
import { checkLoopbackUrl, localLookup } from '../loopback.ts';
import { performanceSampler } from './performance-sampler.ts';
import { processSampler } from './process-sampler.ts';
import type { Target, TargetAuth, TargetPage } from './types.ts';

/** Refuses any target that is not a loopback address by the toolkit's one rule (toolkit/loopback.ts): load goes only to this machine. */
export function assertLoopback(url: string, where: string): void {
  checkLoopbackUrl(url, where);
}

/** Checks that a target answers before load is sent to it. */
export async function assertReachable(url: string): Promise<void> {
  try {
    // localhost is answered locally; no name reaches DNS.
    const dispatcher = new Agent({ connect: { lookup: localLookup } });
    try {
      const res = await undiciFetch(url, { signal: AbortSignal.timeout(5000), dispatcher });
      await res.body?.cancel();
    } finally {
      await dispatcher.close();
    }
  } catch (err) {
    throw new ToolkitError('TARGET_UNREACHABLE', `target ${url} does not answer: ${describeFetchError(err)}`, {
      fix: 'start the app first, or drop --target to measure the default target',
    });
  }
}

/** A fetch failure with its cause: the errno and address of a refused connection rather than just "fetch failed". */
export function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: NodeJS.ErrnoException & { address?: string; port?: number } };
  const cause = e.cause;
  if (cause?.code) {
    const where = cause.address ? ` ${cause.address}${cause.port ? `:${cause.port}` : ''}` : '';
    return `${cause.code}${where} (${cause.message})`;
  }
  if (e.name === 'TimeoutError') return 'no answer within 5 s';
  return e.message;
}

/** What a URL target is measured with besides its address. */
export interface UrlTargetOptions {
  pages: TargetPage[];
  auth?: TargetAuth | undefined;
  bundleStats?: string | undefined;
  /** Where the URL came from, for errors (default --target). */
  where?: string;
}

/**
 * A Target for an app that is already running at `url` (loopback only, and it
 * must answer): sampled from the outside only, through the machine's /proc and
 * the app's PerformanceMetrics endpoint when it has one; stopping it stops nothing.
 */
export async function targetFromUrl(url: string, options: UrlTargetOptions): Promise<Target> {
  assertLoopback(url, options.where ?? '--target');
  await assertReachable(url);
  return {
    baseUrl: url,
    pages: options.pages,
    ...(options.auth ? { auth: options.auth } : {}),
    samplers: [performanceSampler(), processSampler({ groups: () => [] })],
    ...(options.bundleStats ? { bundleStats: options.bundleStats } : {}),
    identity: { label: url, settings: {} },
    stop: async () => undefined,
  };
}
