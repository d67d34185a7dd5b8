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
  const supervisor = new Supervisor(o);
  await supervisor.run();
  return 0;
}

class Supervisor {
  private readonly policy: ScalingPolicy;
  private readonly members = new Map<Worker, Member>();
  private readonly decisions: ScaleDecision[] = [];
  private readonly totals = { up: 0, down: 0 };
  private state: PolicyState = initialPolicyState();
  private announced = false;
  private stopping = false;
  private restarts = 0;

  constructor(private readonly o: SupervisorOptions) {
    this.policy = { min: o.min, max: o.max, up: o.config.up, down: o.config.down, cooldownMs: o.config.cooldownMs };
  }

  async run(): Promise<void> {
    cluster.on('exit', (worker, code, sig) => this.onExit(worker, code, sig));
    for (let i = 0; i < this.o.min; i += 1) this.fork();
    const timer = setInterval(() => this.tick(), this.o.config.sampleMs);
    await new Promise<void>((resolve) => {
      if (this.o.signal?.aborted) return resolve();
      this.o.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    this.stopping = true;
    clearInterval(timer);
    await stopAll([...this.members.keys()]);
  }

  private active(): Member[] {
    return [...this.members.values()].filter((m) => !m.draining);
  }

  private view(): AutoscalingView {
    return {
      min: this.o.min,
      max: this.o.max,
      current: this.active().length,
      decisions: [...this.decisions],
      totals: { ...this.totals },
    };
  }

  private send(m: Member, msg: ToInstance): void {
    if (m.worker.isConnected()) m.worker.send(msg, (err: Error | null) => void err); // a worker that just left misses it
  }

  private broadcast(): void {
    const v = this.view();
    for (const m of this.members.values()) if (m.url) this.send(m, { type: 'autoscaling', view: v });
  }

  private fork(): void {
    const worker = cluster.fork(this.o.env);
    const m: Member = { worker, draining: false };
    this.members.set(worker, m);
    worker.on('message', (msg: Partial<FromInstance>) => {
      if (msg.type === 'listening' && typeof msg.url === 'string') this.onListening(m, msg.url);
      if (msg.type === 'load' && typeof msg.cpuPercent === 'number')
        m.load = { cpuPercent: msg.cpuPercent, lagMs: msg.lagMs ?? 0, p95Ms: msg.p95Ms ?? null, at: Date.now() };
    });
  }

  private onListening(m: Member, url: string): void {
    m.url = url;
    this.send(m, { type: 'autoscaling', view: this.view() });
    const up = this.active().filter((a) => a.url);
    if (this.announced || up.length < this.o.min) return;
    this.announced = true;
    const pids = up.map((a) => a.worker.process.pid ?? 0);
    const line = {
      url,
      port: Number(new URL(url).port),
      instances: this.o.min,
      pids,
      autoscaling: { min: this.o.min, max: this.o.max },
    };
    this.o.stdout.write(JSON.stringify(line) + '\n');
  }

  private drain(m: Member): void {
    m.draining = true;
    this.send(m, { type: 'drain' });
    // A worker that does not finish its requests in time is stopped anyway.
    setTimeout(
      () => this.members.has(m.worker) && m.worker.kill('SIGKILL'),
      this.o.config.drainTimeoutMs + 5000,
    ).unref();
  }

  private apply(d: ScaleDecision): void {
    this.decisions.push(d);
    if (this.decisions.length > KEPT_DECISIONS) this.decisions.shift();
    this.totals[d.action] += 1;
    this.o.log.info('autoscale', { action: d.action, reason: d.reason, from: d.from, to: d.to });
    for (let n = d.from; n < d.to; n += 1) this.fork();
    for (let n = d.from; n > d.to; n -= 1) {
      const newest = this.active().pop();
      if (newest) this.drain(newest);
    }
    this.broadcast();
  }

  private tick(): void {
    if (!this.announced || this.stopping) return;
    const now = Date.now();
    const fresh = this.active().flatMap((m) =>
      m.load && now - m.load.at < this.o.config.sampleMs * 3 ? [m.load] : [],
    );
    const reading = aggregate(now, fresh);
    this.o.log.debug('autoscale reading', { ...reading, instances: this.active().length, reporting: fresh.length });
    const out = decide(this.policy, this.state, reading, this.active().length);
    this.state = out.state;
    if (out.decision) this.apply(out.decision);
  }

  private onExit(worker: Worker, code: number, sig: string): void {
    const m = this.members.get(worker);
    this.members.delete(worker);
    if (this.stopping) return;
    if (m?.draining) {
      this.o.log.info('instance drained and stopped', {
        workerPid: worker.process.pid,
        code,
        instances: this.active().length,
      });
      this.broadcast();
      return;
    }
    this.o.log.error('instance exited, starting another', { workerPid: worker.process.pid, code, signal: sig });
    // Bounded, so a crash loop (bad config, port taken) ends instead of spinning.
    if (++this.restarts <= this.o.max * 3) this.fork();
  }
}

/** SIGTERM to each worker, SIGKILL after 10 s; resolves when all have exited. */
export async function stopAll(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          const t = setTimeout(() => w.kill('SIGKILL'), 10_000);
          w.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          w.kill('SIGTERM');
        }),
    ),
  );
}
