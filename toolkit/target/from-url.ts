/** `--target URL`: an app someone started themselves, measured from the outside. */
import { ToolkitError, usageError } from '../errors.ts';
import { performanceSampler } from './performance-sampler.ts';
import { processSampler } from './process-sampler.ts';
import type { Target, TargetAuth, TargetPage } from './types.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Refuses any target that is not a loopback address: load goes only to this machine. */
export function assertLoopback(url: string, where: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw usageError(`${where}: '${url}' is not a URL`, 'give a full URL such as http://127.0.0.1:3000');
  }
  if (!LOOPBACK.has(host) && !host.startsWith('127.')) {
    throw new ToolkitError('TARGET_NOT_LOOPBACK', `${where}: target host '${host}' is not a loopback address`, {
      fix: 'load tests here may only target 127.0.0.1, localhost or [::1]; run the app locally or tunnel it to a loopback port',
    });
  }
}

/** Checks that a target answers before load is sent to it. */
export async function assertReachable(url: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
  } catch (err) {
    throw new ToolkitError('TARGET_UNREACHABLE', `target ${url} does not answer: ${(err as Error).message}`, {
      fix: 'start the app first, or drop --target to measure the default target',
    });
  }
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
