import { describe, expect, it } from 'vitest';
import { batchLimits, runBatch } from './batch-limits.ts';
import type { HttpReply, WireRequest } from './protocol.ts';

const req = (origin: string, path: string): WireRequest => ({
  method: 'GET',
  origin,
  path,
  headers: [],
  body: null,
  timeoutMs: 1000,
  responseType: 'text',
});

/** Runs a batch whose requests each take `ms`; reports the highest parallelism, overall and per origin. */
function measure(reqs: WireRequest[], limits: { batch: number; batchPerHost: number }, ms = 5) {
  let inFlight = 0;
  let most = 0;
  const perHost = new Map<string, number>();
  const mostPerHost = new Map<string, number>();
  const order: string[] = [];
  return new Promise<{ most: number; mostPerHost: Map<string, number>; paths: string[]; order: string[] }>(
    (resolve) => {
      runBatch(
        reqs,
        limits,
        (spec, reply) => {
          order.push(spec.path);
          inFlight++;
          most = Math.max(most, inFlight);
          const n = (perHost.get(spec.origin) ?? 0) + 1;
          perHost.set(spec.origin, n);
          mostPerHost.set(spec.origin, Math.max(mostPerHost.get(spec.origin) ?? 0, n));
          setTimeout(() => {
            inFlight--;
            perHost.set(spec.origin, perHost.get(spec.origin)! - 1);
            reply({ statusText: spec.path } as HttpReply);
          }, ms);
        },
        (replies) => resolve({ most, mostPerHost, paths: replies.map((r) => r.statusText), order }),
      );
    },
  );
}

describe('runBatch (k6 batch / batchPerHost)', () => {
  it("k6's defaults: 20 in flight, 6 per host", () => {
    expect(batchLimits({})).toEqual({ batch: 20, batchPerHost: 6 });
    expect(batchLimits({ batch: 3, batchPerHost: 0 })).toEqual({ batch: 3, batchPerHost: 0 });
  });

  it('10 requests to one host: 6 at a time, replies in the order given', async () => {
    const reqs = Array.from({ length: 10 }, (_, i) => req('http://a', `/${i}`));
    const r = await measure(reqs, { batch: 20, batchPerHost: 6 });
    expect(r.most).toBe(6);
    expect(r.paths).toEqual(reqs.map((q) => q.path));
    expect(r.order).toEqual(reqs.map((q) => q.path));
  });

  it('a busy host does not hold back another: per-host limit 2, overall limit 3', async () => {
    const reqs = [...Array.from({ length: 4 }, (_, i) => req('http://a', `/a${i}`)), req('http://b', '/b0')];
    const r = await measure(reqs, { batch: 3, batchPerHost: 2 });
    expect(r.most).toBe(3);
    expect(r.mostPerHost.get('http://a')).toBe(2);
    expect(r.order.slice(0, 3)).toEqual(['/a0', '/a1', '/b0']);
  });

  it('0 means no limit; an empty batch answers at once', async () => {
    const reqs = Array.from({ length: 30 }, (_, i) => req('http://a', `/${i}`));
    expect((await measure(reqs, { batch: 0, batchPerHost: 0 })).most).toBe(30);
    expect((await measure([], { batch: 20, batchPerHost: 6 })).paths).toEqual([]);
  });
});
