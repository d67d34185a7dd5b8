import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import type { AutoscaleConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { aggregate, decide, initialPolicyState } from './policy.ts';
import type { InstanceLoad, PolicyState, ScaleDecision, ScalingPolicy } from './policy.ts';
import type { AutoscalingView } from './status.ts';
import type { FromInstance, ToInstance } from './worker-link.ts';

/** What the supervisor needs from its caller (the cluster primary of `npm run app`). */
export interface SupervisorOptions {
  min: number;
  max: number;
  config: AutoscaleConfig;
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown };
  signal?: AbortSignal;
  log: Logger;
}

interface Member {
  worker: Worker;
  url?: string;
  load?: InstanceLoad & { at: number };
  draining: boolean;
}

const KEPT_DECISIONS = 100;

/**
 * Keeps between min and max instances (cluster workers) on one port: forks one
 * when the policy says up, drains the newest when it says down (the worker
 * stops accepting, finishes its requests, then exits), restarts crashed ones.
 * Each decision is one JSON log line and is pushed to every instance, which
 * serves it on /metrics and /api/performance.
 */
export async function runSupervisor(o: SupervisorOptions): Promise<number> {
  const policy: ScalingPolicy = { min: o.min, max: o.max, up: o.config.up, down: o.config.down, cooldownMs: o.config.cooldownMs };
  const members = new Map<Worker, Member>();
  const decisions: ScaleDecision[] = [];
  const totals = { up: 0, down: 0 };
  let state: PolicyState = initialPolicyState();
  let announced = false;
  let stopping = false;
  let restarts = 0;

  const active = (): Member[] => [...members.values()].filter((m) => !m.draining);
  const view = (): AutoscalingView => ({ min: o.min, max: o.max, current: active().length, decisions: [...decisions], totals: { ...totals } });
  const send = (m: Member, msg: ToInstance): void => {
    if (m.worker.isConnected()) m.worker.send(msg, (err: Error | null) => void err); // a worker that just left misses it
  };
  const broadcast = (): void => {
    const v = view();
    for (const m of members.values()) if (m.url) send(m, { type: 'autoscaling', view: v });
  };

  const onListening = (m: Member, url: string): void => {
    m.url = url;
    send(m, { type: 'autoscaling', view: view() });
    const up = active().filter((a) => a.url);
    if (!announced && up.length >= o.min) {
      announced = true;
      const pids = up.map((a) => a.worker.process.pid ?? 0);
      o.stdout.write(JSON.stringify({ url, port: Number(new URL(url).port), instances: o.min, pids, autoscaling: { min: o.min, max: o.max } }) + '\n');
    }
  };
  const fork = (): void => {
    const worker = cluster.fork(o.env);
    const m: Member = { worker, draining: false };
    members.set(worker, m);
    worker.on('message', (msg: Partial<FromInstance>) => {
      if (msg.type === 'listening' && typeof msg.url === 'string') onListening(m, msg.url);
      if (msg.type === 'load' && typeof msg.cpuPercent === 'number') m.load = { cpuPercent: msg.cpuPercent, lagMs: msg.lagMs ?? 0, p95Ms: msg.p95Ms ?? null, at: Date.now() };
    });
  };
  const drain = (m: Member): void => {
    m.draining = true;
    send(m, { type: 'drain' });
    // A worker that does not finish its requests in time is stopped anyway.
    setTimeout(() => members.has(m.worker) && m.worker.kill('SIGKILL'), o.config.drainTimeoutMs + 5000).unref();
  };

  const apply = (d: ScaleDecision): void => {
    decisions.push(d);
    if (decisions.length > KEPT_DECISIONS) decisions.shift();
    totals[d.action] += 1;
    o.log.info('autoscale', { action: d.action, reason: d.reason, from: d.from, to: d.to });
    for (let n = d.from; n < d.to; n += 1) fork();
    for (let n = d.from; n > d.to; n -= 1) {
      const newest = active().pop();
      if (newest) drain(newest);
    }
    broadcast();
  };

  const tick = (): void => {
    if (!announced || stopping) return;
    const now = Date.now();
    const fresh = active().flatMap((m) => (m.load && now - m.load.at < o.config.sampleMs * 3 ? [m.load] : []));
    const reading = aggregate(now, fresh);
    o.log.debug('autoscale reading', { ...reading, instances: active().length, reporting: fresh.length });
    const out = decide(policy, state, reading, active().length);
    state = out.state;
    if (out.decision) apply(out.decision);
  };

  cluster.on('exit', (worker, code, sig) => {
    const m = members.get(worker);
    members.delete(worker);
    if (stopping) return;
    if (m?.draining) {
      o.log.info('instance drained and stopped', { workerPid: worker.process.pid, code, instances: active().length });
      broadcast();
      return;
    }
    o.log.error('instance exited, starting another', { workerPid: worker.process.pid, code, signal: sig });
    // Bounded, so a crash loop (bad config, port taken) ends instead of spinning.
    if (++restarts <= o.max * 3) fork();
  });

  for (let i = 0; i < o.min; i += 1) fork();
  const timer = setInterval(tick, o.config.sampleMs);
  await new Promise<void>((resolve) => {
    if (o.signal?.aborted) return resolve();
    o.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  stopping = true;
  clearInterval(timer);
  await stopAll([...members.keys()]);
  return 0;
}

/** SIGTERM to each worker, SIGKILL after 10 s; resolves when all have exited. */
export async function stopAll(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
    if (w.isDead()) return resolve();
    const t = setTimeout(() => w.kill('SIGKILL'), 10_000);
    w.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    w.kill('SIGTERM');
  })));
}
