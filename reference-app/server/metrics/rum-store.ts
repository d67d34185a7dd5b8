import type { Redis } from 'ioredis';
import { RUM_KEY } from '../cache/keys.ts';
import { redisReady } from '../cache/redis.ts';

/** One beacon value. */
export interface RumSample {
  name: string;
  value: number;
  at: number;
}

const KEEP = 5_000;
const WINDOW_MS = 15 * 60 * 1000;

/**
 * Real-user samples shared by all instances in a capped Redis list (so
 * percentiles are over every instance's beacons), with an in-process copy
 * used when Redis is down.
 */
export class RumStore {
  private readonly local: RumSample[] = [];

  constructor(private readonly redis: Redis) {}

  async add(samples: RumSample[]): Promise<void> {
    this.local.push(...samples);
    if (this.local.length > KEEP) this.local.splice(0, this.local.length - KEEP);
    if (!redisReady(this.redis) || samples.length === 0) return;
    await this.redis
      .multi()
      .lpush(RUM_KEY, ...samples.map((s) => JSON.stringify(s)))
      .ltrim(RUM_KEY, 0, KEEP - 1)
      .exec()
      .catch(() => undefined);
  }

  /** Recent samples grouped by metric name. */
  async recent(): Promise<Map<string, number[]>> {
    let samples: RumSample[] = this.local;
    if (redisReady(this.redis)) {
      try {
        samples = (await this.redis.lrange(RUM_KEY, 0, KEEP - 1)).map((s) => JSON.parse(s) as RumSample);
      } catch {
        samples = this.local;
      }
    }
    const horizon = Date.now() - WINDOW_MS;
    const out = new Map<string, number[]>();
    for (const s of samples) {
      if (s.at < horizon) continue;
      const list = out.get(s.name) ?? [];
      list.push(s.value);
      out.set(s.name, list);
    }
    return out;
  }
}

/** Exact percentile (nearest rank) of a small sample. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}
