/**
 * http.batch on the shared pool, as k6 runs it: at most options.batch requests in flight (default 20)
 * and at most options.batchPerHost to one host (default 6); the rest wait, in the order given, and a
 * request's timings start when it is sent, not while it waits for its turn.
 */
import type { HttpReply } from './protocol.ts';

/** k6's batch parallelism; 0 (or less) means no limit, as in k6. */
export interface BatchLimits {
  batch: number;
  batchPerHost: number;
}

/** k6's defaults (--batch 20, --batch-per-host 6), replaced by options.batch / options.batchPerHost. */
export function batchLimits(options: Record<string, unknown>): BatchLimits {
  const pick = (v: unknown, def: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : def);
  return { batch: pick(options.batch, 20), batchPerHost: pick(options.batchPerHost, 6) };
}

/** Runs the requests within the limits and calls `done` once with the replies in the order given. */
export function runBatch<T extends { origin: string }>(
  reqs: T[],
  limits: BatchLimits,
  execute: (spec: T, reply: (r: HttpReply) => void) => void,
  done: (r: HttpReply[]) => void,
): void {
  const replies = new Array<HttpReply>(reqs.length);
  const perHost = new Map<string, number>();
  const started = new Array<boolean>(reqs.length).fill(false);
  let inFlight = 0;
  let left = reqs.length;
  let next = 0;
  const roomFor = (origin: string): boolean =>
    (limits.batch <= 0 || inFlight < limits.batch) &&
    (limits.batchPerHost <= 0 || (perHost.get(origin) ?? 0) < limits.batchPerHost);
  const pump = (): void => {
    while (next < reqs.length && started[next]) next++;
    for (let i = next; i < reqs.length; i++) {
      if (limits.batch > 0 && inFlight >= limits.batch) return;
      const spec = reqs[i]!;
      if (started[i] || !roomFor(spec.origin)) continue;
      started[i] = true;
      inFlight++;
      perHost.set(spec.origin, (perHost.get(spec.origin) ?? 0) + 1);
      execute(spec, (r) => {
        replies[i] = r;
        inFlight--;
        perHost.set(spec.origin, perHost.get(spec.origin)! - 1);
        if (--left === 0) done(replies);
        else pump();
      });
    }
  };
  if (reqs.length === 0) done(replies);
  else pump();
}
