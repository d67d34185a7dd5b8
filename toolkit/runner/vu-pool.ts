/**
 * Main-thread handles on VU workers: spawning (in parallel batches before the
 * test clock starts, one at a time when an arrival-rate scenario grows),
 * commands, interrupts, and serving their blocking http calls on the shared pool.
 */
import { DEFAULT_RESPONSE_LIMITS, type ResponseLimits } from './response-limits.ts';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { MetricDef, Sample } from '../k6-core/index.ts';
import { batchLimits, runBatch, type BatchLimits } from './batch-limits.ts';
import type { RequestPool } from './lazy-http-io.ts';
import { HttpSampleDecoder } from './http-samples.ts';
import { DETAIL } from './log.ts';
import { k6Exception } from './stack.ts';
import {
  CELL,
  CELLS_BYTES,
  IO_CELLS_OFFSET,
  decodeRequests,
  encodeReplies,
  type HttpReply,
  type SyncWire,
  type VuCommand,
  type VuEvent,
  type VuWorkerData,
} from './protocol.ts';

/** What a finished command reports. */
export type CommandResult =
  | { t: 'done'; iterations: number; interrupted: number }
  | { t: 'result'; ok: boolean; value: unknown; error?: string }
  | { t: 'abort'; reason: string }
  | { t: 'exit'; error: string };

/** Callbacks from the pool to the engine. */
export interface PoolHooks {
  onSamples(samples: Sample[]): void;
  onMetric(def: MetricDef): void;
  onLog(level: string, msg: string, fields: Record<string, string>): void;
  onAbort(reason: string): void;
}

/** Hands a VU's samples, metric definitions and log lines to the hooks; false for any other event. */
export function forwardVuEvent(ev: VuEvent, hooks: PoolHooks, decoder: HttpSampleDecoder): boolean {
  if (ev.t === 'samples') hooks.onSamples(ev.http ? decoder.decode(ev.http, ev.samples) : ev.samples);
  else if (ev.t === 'metric') hooks.onMetric(ev.def);
  else if (ev.t === 'log') hooks.onLog(ev.level, ev.msg, ev.fields ?? {});
  else return false;
  return true;
}

/** What every VU of a run starts with: the bundle, env, transport, hooks back to the engine. */
export interface PoolConfig {
  bundlePath: string;
  env: Record<string, string>;
  scriptDir: string;
  testTags: Record<string, string>;
  options: Record<string, unknown>;
  io: RequestPool;
  hooks: PoolHooks;
  nice?: number;
  /** See VuWorkerData.vuSocketAddon. */
  vuSocketAddon?: string | null;
  /** See VuWorkerData.responseLimits (default: DEFAULT_RESPONSE_LIMITS). */
  responseLimits?: ResponseLimits;
  /** A VU whose init code runs longer is ended (InitError, k6's exit 107); 0 = no limit. */
  initTimeoutMs?: number;
  /** Ends a VU still in its init code when the run stops (a signal): its init code may never return. */
  cancel?: AbortSignal;
  /** Starts VUs another way than a worker each (the shared VU model, shared/spawn.ts). */
  spawn?: (cfg: PoolConfig, vuId: number) => Promise<{ vu: VuHandle; options: unknown; exports: string[] }>;
  /** How many VUs start in parallel (default 16). */
  spawnBatch?: number;
}

/** Thrown when a VU's init code fails: k6 exits 107 for script exceptions. */
export class InitError extends Error {}

/** A VU's init code ran past --init-timeout. */
export const initTimedOut = (vuId: number, limitMs: number): InitError =>
  new InitError(
    `the init code of VU ${vuId} did not finish within ${limitMs / 1000}s (an endless loop at the ` +
      `script's top level?); raise the limit with --init-timeout if it needs longer`,
  );

/** One VU worker as the main thread drives it: commands, soft stops, interrupts, termination. */
export class VuHandle {
  private running = false;
  private pending: ((r: CommandResult) => void) | null = null;
  private readonly cells: Int32Array;
  private readonly ioCells: Float64Array;
  private ended = false;
  /** The tags of the function the VU runs now: the data_sent / data_received it has not emitted get them. */
  private ioTags: Record<string, string>;
  /** Emit the pair at exit even when it is 0 (an iteration cut short by ending its worker, as k6 does). */
  private ioAtExit = false;

  constructor(
    readonly id: number,
    readonly worker: Worker,
    cellsBuf: SharedArrayBuffer,
    private readonly hooks: PoolHooks,
    private readonly decoder: HttpSampleDecoder,
    private readonly testTags: Record<string, string> = {},
  ) {
    this.cells = new Int32Array(cellsBuf);
    this.ioCells = new Float64Array(cellsBuf, IO_CELLS_OFFSET, 2);
    this.ioTags = { ...testTags, group: '' };
    worker.on('message', (ev: VuEvent) => this.onEvent(ev));
    worker.on('exit', () => {
      this.ended = true;
      // Ended with its thread mid-function (a host thread of the shared model held by another VU's
      // loop, a crash): the bytes its requests moved still count, as when k6 interrupts a VU.
      if (this.ioAtExit || this.ioCells[0] !== 0 || this.ioCells[1] !== 0) this.emitIo(this.ioTags);
      this.settle({ t: 'exit', error: 'VU worker exited' });
    });
  }

  /** data_sent / data_received for what the VU's requests moved and the VU did not emit itself. */
  private emitIo(tags: Record<string, string>): void {
    const time = Date.now();
    this.hooks.onSamples([
      { metric: 'data_sent', value: this.ioCells[0]!, time, tags },
      { metric: 'data_received', value: this.ioCells[1]!, time, tags },
    ]);
    this.ioCells[0] = 0;
    this.ioCells[1] = 0;
  }

  /** Running a command now. */
  get busy(): boolean {
    return this.running;
  }

  /** The worker has ended (terminated, crashed or exited). */
  get exited(): boolean {
    return this.ended;
  }

  private onEvent(ev: VuEvent): void {
    if (forwardVuEvent(ev, this.hooks, this.decoder)) return;
    if (ev.t === 'done' || ev.t === 'result') this.settle(ev);
    else if (ev.t === 'abort') {
      this.hooks.onAbort(ev.reason);
      this.settle(ev);
    }
  }

  private settle(r: CommandResult): void {
    const p = this.pending;
    this.pending = null;
    this.running = false;
    p?.(r);
  }

  /** Sends a command and resolves when the VU reports it finished. */
  run(cmd: VuCommand): Promise<CommandResult> {
    if (this.ended) return Promise.resolve({ t: 'exit', error: 'VU worker exited' });
    Atomics.store(this.cells, CELL.interrupt, 0);
    Atomics.store(this.cells, CELL.softStop, 0);
    this.running = true;
    if (cmd.t === 'loop' || cmd.t === 'once')
      this.ioTags = { ...this.testTags, ...cmd.run.tags, scenario: cmd.run.scenario, group: '' };
    else if (cmd.t === 'setup' || cmd.t === 'teardown') this.ioTags = { ...this.testTags, group: `::${cmd.t}` };
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage(cmd);
    });
  }

  /** Ask the VU to stop after its current iteration (gracefulRampDown). */
  softStop(): void {
    Atomics.store(this.cells, CELL.softStop, 1);
  }

  /** Unwind the current iteration at the next http call or sleep (graceful stop expired). */
  interrupt(): void {
    Atomics.store(this.cells, CELL.interrupt, 1);
    Atomics.notify(this.cells, CELL.interrupt);
    Atomics.notify(this.cells, CELL.reply);
  }

  async terminate(): Promise<void> {
    if (!this.ended) await this.worker.terminate();
  }

  /** Ends a VU whose iteration ignored its interrupt (a loop that never reaches an http call or sleep), saying so. */
  async terminateStuck(scenario: string, runTags: Record<string, string> = {}): Promise<void> {
    if (this.ended) return;
    const iteration = Atomics.load(this.cells, CELL.iteration);
    // k6 says only that no iteration finished (when none did); which VU was stopped is perfkit's detail.
    this.hooks.onLog(
      DETAIL,
      `VU ${this.id} did not return from iteration ${iteration} of scenario "${scenario}" by the end of its gracefulStop; its thread was stopped (does the function loop without ever returning?)`,
      { vu: String(this.id), iteration: String(iteration), scenario },
    );
    // The iteration's requests still count in data_sent / data_received, as when k6 interrupts a VU
    // (emitted as the worker exits).
    this.ioTags = { ...this.testTags, ...runTags, scenario, group: '' };
    this.ioAtExit = true;
    await this.terminate();
  }
}

function serveSync(port: MessagePort, cells: Int32Array, io: RequestPool, limits: BatchLimits): void {
  const send = (id: number, replies: HttpReply[]): void => {
    // Reply first, then flag + notify: the VU reads the port after it wakes.
    port.postMessage(encodeReplies(id, replies));
    Atomics.store(cells, CELL.reply, 1);
    Atomics.notify(cells, CELL.reply);
  };
  port.on('message', (wire: SyncWire) => {
    const reqs = decodeRequests(wire);
    const id = wire[0] as number;
    if (reqs.length === 1) {
      io.execute(reqs[0]!, (r) => send(id, [r]));
      return;
    }
    runBatch(
      reqs,
      limits,
      (spec, reply) => io.execute(spec, reply),
      (replies) => send(id, replies),
    );
  });
}

/** Starts one VU worker and waits for its init code to finish. */
export function spawnVu(cfg: PoolConfig, vuId: number): Promise<{ vu: VuHandle; options: unknown; exports: string[] }> {
  if (cfg.spawn) return cfg.spawn(cfg, vuId);
  const cellsBuf = new SharedArrayBuffer(CELLS_BYTES);
  const channel = new MessageChannel();
  const workerData: VuWorkerData = {
    vuId,
    env: cfg.env,
    scriptDir: cfg.scriptDir,
    cells: cellsBuf,
    syncPort: channel.port2,
    testTags: cfg.testTags,
    options: cfg.options,
    nice: cfg.nice ?? 12,
    vuSocketAddon: cfg.vuSocketAddon ?? null,
    responseLimits: cfg.responseLimits ?? DEFAULT_RESPONSE_LIMITS,
  };
  const worker = new Worker(cfg.bundlePath, {
    workerData,
    transferList: [channel.port2],
    // No inherited loader flags: a tsx loader in every VU would cost ~5 MB and start-up time each.
    // Profiling flags pass through, so `node --cpu-prof` profiles the VUs too.
    execArgv: ['--enable-source-maps', ...process.execArgv.filter((a) => a.startsWith('--cpu-prof'))],
    // A young generation of 2 MB made scavenges the largest VU cost under load; 8 MB is still lean.
    resourceLimits: { maxYoungGenerationSizeMb: 8, stackSizeMb: 2 },
    stdout: false,
    stderr: false,
  });
  serveSync(channel.port1, new Int32Array(cellsBuf), cfg.io, batchLimits(cfg.options));
  channel.port1.unref();
  const decoder = new HttpSampleDecoder();
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      cfg.cancel?.removeEventListener('abort', onCancel);
      worker.off('message', onReady);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    // A busy loop never yields: only terminating the worker (V8's TerminateExecution) ends it.
    const fail = (err: InitError): void => {
      settle();
      void worker.terminate();
      reject(err);
    };
    // An exception in the init code, as k6 logs it (Node's module loader frames are not the script's).
    const onError = (err: Error): void => fail(new InitError(k6Exception(err)));
    const onExit = (code: number): void => fail(new InitError(`VU ${vuId} exited during init (code ${code})`));
    const onCancel = (): void => fail(new InitError(`VU ${vuId}'s init code was interrupted`));
    const limit = cfg.initTimeoutMs ?? 0;
    const timer = limit > 0 ? setTimeout(() => fail(initTimedOut(vuId, limit)), limit) : undefined;
    const onReady = (ev: VuEvent): void => {
      if (forwardVuEvent(ev, cfg.hooks, decoder) || ev.t !== 'ready') return;
      settle();
      worker.on('error', (err) =>
        cfg.hooks.onLog('error', k6Exception(err), { hint: 'script exception', source: 'stacktrace' }),
      );
      resolve({
        vu: new VuHandle(vuId, worker, cellsBuf, cfg.hooks, decoder, cfg.testTags),
        options: ev.options,
        exports: ev.exports,
      });
    };
    worker.on('message', onReady);
    worker.once('error', onError);
    worker.once('exit', onExit);
    if (cfg.cancel?.aborted) onCancel();
    else cfg.cancel?.addEventListener('abort', onCancel, { once: true });
  });
}

/** Starts `count` VUs with ids from `firstId`, `batch` at a time so start-up does not thrash the CPU. */
export async function spawnMany(
  cfg: PoolConfig,
  firstId: number,
  count: number,
  batch = cfg.spawnBatch ?? 16,
): Promise<VuHandle[]> {
  const out: VuHandle[] = [];
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    const started = await Promise.allSettled(Array.from({ length: n }, (_, k) => spawnVu(cfg, firstId + i + k)));
    for (const s of started) if (s.status === 'fulfilled') out.push(s.value.vu);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(out.map((v) => v.terminate()));
      throw failed.reason;
    }
  }
  return out;
}
