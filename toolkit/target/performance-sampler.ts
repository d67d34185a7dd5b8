/**
 * The PerformanceMetrics endpoint sampler. The result model is shaped after
 * the seed's PerformanceMetrics ({ database, api, frontend }), so any app that
 * serves that shape at an endpoint (the reference app at GET /api/performance)
 * gets its database, cache and frontend figures into the results; an app
 * without it (404) is simply not sampled.
 */
import { fromPerformanceSnapshot } from '../results/index.ts';
import type { Sampler, SamplerPieces } from './types.ts';

/** One reading of the endpoint, with when it was taken. */
export interface PerformanceReading {
  t: number;
  body: unknown;
}

/** Where to poll, how often, and what else to read out of the same answers. */
export interface PerformanceSamplerOptions {
  /** Default /api/performance. */
  path?: string;
  /** Default 2000 ms. */
  intervalMs?: number;
  /** Request headers (a provider's token for the endpoint's detailed view, e.g. SQL text of slow queries). */
  headers?: Record<string, string>;
  /** Pieces a provider reads from the same answers (the reference rig: its auto-scaling decisions). */
  extra?: (readings: PerformanceReading[], runStartMs: number) => SamplerPieces;
}

/** Polls the endpoint until stopped; one last reading on stop. */
export function startPerformancePolling(
  baseUrl: string,
  endpoint: string,
  intervalMs: number,
  headers: Record<string, string> = {},
): { stop(): Promise<PerformanceReading[]> } {
  const readings: PerformanceReading[] = [];
  let supported = true;
  let inFlight: Promise<void> = Promise.resolve();

  const poll = async (): Promise<void> => {
    if (!supported) return;
    try {
      const res = await fetch(new URL(endpoint, baseUrl), { headers, signal: AbortSignal.timeout(5000) });
      if (res.status === 404) {
        supported = false;
        return;
      }
      if (!res.ok) return;
      readings.push({ t: Date.now(), body: (await res.json()) as unknown });
    } catch {
      // A busy target may time out one poll; the next one tries again.
    }
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(poll);
  }, intervalMs);
  timer.unref();
  inFlight = poll();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      await poll();
      return readings;
    },
  };
}

/** The last snapshot's database, frontend and cache parts, with the peak connection count over all readings. */
export function snapshotPieces(
  readings: PerformanceReading[],
  endpoint: string,
  log: (l: string) => void,
): SamplerPieces {
  const last = readings[readings.length - 1];
  if (!last) return {};
  try {
    const part = fromPerformanceSnapshot(last.body, `GET ${endpoint}`);
    const peak = Math.max(
      ...readings.map((r) =>
        Number((r.body as { database?: { connectionCount?: number } }).database?.connectionCount ?? 0),
      ),
    );
    if (part.database.connectionCount !== null)
      part.database.connectionCount = Math.max(part.database.connectionCount, Math.round(peak));
    const { loadTime, renderTime, bundleSize } = part.frontend;
    return {
      database: part.database,
      frontend: { loadTime, renderTime, bundleSize },
      ...(part.cache ? { cache: part.cache } : {}),
    };
  } catch (err) {
    log(`  ${endpoint} answered in an unexpected shape, database figures skipped: ${(err as Error).message}`);
    return {};
  }
}

/** A sampler of the target's PerformanceMetrics endpoint. */
export function performanceSampler(options: PerformanceSamplerOptions = {}): Sampler {
  const endpoint = options.path ?? '/api/performance';
  return {
    name: 'performance',
    start(ctx) {
      const polling = startPerformancePolling(ctx.baseUrl, endpoint, options.intervalMs ?? 2000, options.headers);
      return {
        async stop() {
          const readings = await polling.stop();
          return { ...snapshotPieces(readings, endpoint, ctx.log), ...options.extra?.(readings, ctx.runStartMs) };
        },
      };
    },
  };
}
