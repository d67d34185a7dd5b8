import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { INSTANCES_KEY, instanceSnapshotKey } from '../cache/keys.ts';
import { redisReady } from '../cache/redis.ts';
import type { HistogramData } from './histogram.ts';

/** What each instance publishes every few seconds for /api/performance on any instance. */
export interface InstanceSnapshot {
  id: string;
  pid: number;
  at: number;
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  eventLoopLagMs: { p50: number; p99: number; max: number };
  api: { latency: HistogramData; errors: number; windowS: number };
  db: { latency: HistogramData; windowS: number };
  pools: Record<string, { total: number; idle: number; waiting: number } | null>;
  cache: Record<string, Record<string, number>>;
  /** `at`: when it ran (ms since epoch), so a reset of the window can leave it out. */
  slowQueries: { query: string; ms: number; at?: number }[];
}

export type SnapshotSource = () => Omit<
  InstanceSnapshot,
  'id' | 'pid' | 'at' | 'cpuPercent' | 'rssBytes' | 'heapUsedBytes' | 'eventLoopLagMs'
>;

/** Samples this process (CPU, memory, event-loop lag) and publishes its snapshot to Redis on an interval. */
export class InstancePublisher {
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  latest: InstanceSnapshot | undefined;

  constructor(
    readonly id: string,
    private readonly redis: Redis,
    private readonly source: SnapshotSource,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.loop.enable();
    this.timer = setInterval(() => void this.publish(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.loop.disable();
  }

  /** Takes a snapshot now (and resets the lag histogram); publishes it when Redis is up. */
  async publish(): Promise<InstanceSnapshot> {
    const snap = this.take();
    this.latest = snap;
    if (redisReady(this.redis)) {
      await this.redis
        .multi()
        .set(instanceSnapshotKey(this.id), JSON.stringify(snap), 'PX', this.intervalMs * 5)
        .zadd(INSTANCES_KEY, snap.at, this.id)
        .zremrangebyscore(INSTANCES_KEY, 0, snap.at - this.intervalMs * 5)
        .exec()
        .catch(() => undefined);
    }
    return snap;
  }

  private take(): InstanceSnapshot {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const wallUs = Math.max(1, (now - this.lastAt) * 1000);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const mem = process.memoryUsage();
    const ns = (v: number): number => (Number.isFinite(v) ? v / 1e6 : 0);
    const lag = { p50: ns(this.loop.percentile(50)), p99: ns(this.loop.percentile(99)), max: ns(this.loop.max) };
    this.loop.reset();
    return {
      id: this.id,
      pid: process.pid,
      at: Date.now(),
      cpuPercent: ((cpu.user + cpu.system) / wallUs) * 100,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      eventLoopLagMs: lag,
      ...this.source(),
    };
  }

  /** Every live instance's latest snapshot (this one's fresh), or only this one's when Redis is down. */
  async all(): Promise<InstanceSnapshot[]> {
    const own = await this.publish();
    if (!redisReady(this.redis)) return [own];
    try {
      const ids = await this.redis.zrangebyscore(INSTANCES_KEY, Date.now() - this.intervalMs * 5, '+inf');
      const others = ids.filter((id) => id !== this.id);
      if (others.length === 0) return [own];
      const raws = await this.redis.mget(...others.map(instanceSnapshotKey));
      return [own, ...raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as InstanceSnapshot)];
    } catch {
      return [own];
    }
  }
}
