import { monitorEventLoopDelay } from 'node:perf_hooks';
import { quantile } from '../metrics/histogram.ts';
import type { RequestStats } from '../metrics/request-stats.ts';
import type { InstanceLoad } from './policy.ts';
import type { AutoscalingView, ScalingStatus } from './status.ts';

const RESOLUTION_MS = 10;

/** Messages between the supervisor (cluster primary) and an instance. */
export type ToInstance = { type: 'autoscaling'; view: AutoscalingView } | { type: 'drain' };
export type FromInstance = { type: 'listening'; url: string; port: number } | ({ type: 'load' } & InstanceLoad);

/** The IPC side of a worker process: `process` in a cluster worker. */
export interface Channel {
  connected?: boolean;
  send?: (message: FromInstance) => unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/**
 * An instance's half of the supervisor link: every sampleMs it reports its
 * CPU, event-loop lag and recent p95 to the primary; it keeps the state the
 * primary pushes, and calls onDrain when asked to leave.
 */
export function startWorkerLink(opts: {
  channel: Channel;
  stats: RequestStats;
  status: ScalingStatus;
  sampleMs: number;
  onDrain: () => void;
}): () => void {
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(1, now - lastAt)) * 100;
    lastAt = now;
    // The mean, less the sampling timer's own period: a p99 mostly measures how busy the machine is
    // (an idle instance on a loaded host sees 50-100 ms), the mean how long this instance's tasks block.
    const lag = Math.max(0, loop.mean / 1e6 - RESOLUTION_MS);
    loop.reset();
    const p95Ms = quantile(opts.stats.recent.snapshot().data, 0.95);
    // After the primary went away a send would raise an 'error' event: skip it.
    if (opts.channel.connected !== false)
      opts.channel.send?.({ type: 'load', cpuPercent, lagMs: Number.isFinite(lag) ? lag : 0, p95Ms });
  }, opts.sampleMs);
  timer.unref();
  const onMessage = (m: unknown): void => {
    const msg = m as Partial<ToInstance>;
    if (msg.type === 'autoscaling' && 'view' in msg && msg.view) opts.status.view = msg.view;
    if (msg.type === 'drain') opts.onDrain();
  };
  opts.channel.on('message', onMessage);
  return () => {
    clearInterval(timer);
    loop.disable();
    opts.channel.off('message', onMessage);
  };
}
