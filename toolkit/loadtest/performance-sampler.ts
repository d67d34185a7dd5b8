/** One reading of the target's GET /api/performance, with when it was taken. */
export interface PerformanceReading {
  t: number;
  body: unknown;
}

/**
 * Polls the target's /api/performance (the seed's PerformanceMetrics) while the
 * scenarios run. A target without that endpoint (404, not JSON) is simply not
 * sampled: any app can be measured, ours just tells more about itself.
 */
export function startPerformanceSampler(
  baseUrl: string,
  intervalMs = 2000,
  headers: Record<string, string> = {},
): { stop(): Promise<PerformanceReading[]> } {
  const readings: PerformanceReading[] = [];
  let supported = true;
  let inFlight: Promise<void> = Promise.resolve();

  const poll = async (): Promise<void> => {
    if (!supported) return;
    try {
      const res = await fetch(new URL('/api/performance', baseUrl), { headers, signal: AbortSignal.timeout(5000) });
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
