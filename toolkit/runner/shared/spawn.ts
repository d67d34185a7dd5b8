/**
 * The main thread's side of the shared VU model: a few host threads (shared/host.ts), each
 * running many VUs. Every VU gets a VuHandle as on the isolate model, over a port that stands in
 * for its worker (messages tagged with the VU's id), so executors, setup/teardown and the summary
 * drive both models alike.
 */
import { EventEmitter } from 'node:events';
import { dirname, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HttpSampleDecoder } from '../http-samples.ts';
import { CELL, CELLS_BYTES, type VuEvent } from '../protocol.ts';
import { DEFAULT_RESPONSE_LIMITS } from '../response-limits.ts';
import { ENGINE_DIRS } from '../stack.ts';
import { forwardVuEvent, InitError, initTimedOut, VuHandle, type PoolConfig } from '../vu-pool.ts';
import type { HostCommand, HostData, HostEvent } from './host.ts';

/** Stands in for a VU's worker: what VuHandle uses of one (postMessage, message/exit events, terminate). */
class VuPort extends EventEmitter {
  private gone = false;

  constructor(
    private readonly host: HostThread,
    private readonly vu: number,
    private readonly cells: Int32Array,
  ) {
    super();
  }

  postMessage(cmd: unknown): void {
    if (!this.gone) this.host.send({ t: 'cmd', vu: this.vu, cmd });
  }

  /**
   * The VU's next suspension point ends its iteration; the host forgets it. A host that does not say
   * so within KILL_ACK_MS is held by a VU that never suspends: the thread is ended, and every VU on it
   * with it (their handles emit what their requests moved).
   */
  terminate(): Promise<number> {
    if (this.gone) return Promise.resolve(0);
    Atomics.store(this.cells, CELL.interrupt, 1);
    this.host.kill(this.vu);
    this.exited();
    return Promise.resolve(0);
  }

  exited(): void {
    if (this.gone) return;
    this.gone = true;
    this.host.ports.delete(this.vu);
    process.nextTick(() => this.emit('exit', 0));
  }
}

/** How long a host thread may take to let go of a VU before it is taken as held by a loop and ended. */
const KILL_ACK_MS = 1000;

/** The young generation of each host thread's heap (see HostThread). */
const HOST_YOUNG_GENERATION_MB = 16;

class HostThread {
  readonly ports = new Map<number, VuPort>();
  readonly worker: Worker;
  /** The thread has ended (terminated or crashed): VUs started later need a new one. */
  ended = false;
  private readonly kills = new Map<number, NodeJS.Timeout>();

  constructor(file: string, data: HostData) {
    this.worker = new Worker(file, {
      workerData: data,
      execArgv: ['--enable-source-maps', ...process.execArgv.filter((a) => a.startsWith('--cpu-prof'))],
      stdout: false,
      stderr: false,
      // A young generation of 16 MB instead of V8's default (semi-spaces grown to 16 MB each, resident all
      // run): 10 MB less at 500 VUs; 8 MB saved 16 MB but cost 50-VU req/s (README "Shared VU model").
      resourceLimits: { maxYoungGenerationSizeMb: HOST_YOUNG_GENERATION_MB },
    });
    this.worker.on('message', (batch: HostEvent) => {
      for (const [vu, ev] of batch) {
        if (ev.t !== 'killed') this.ports.get(vu)?.emit('message', ev);
        else {
          clearTimeout(this.kills.get(vu));
          this.kills.delete(vu);
        }
      }
    });
    this.worker.on('exit', () => {
      this.ended = true;
      for (const t of this.kills.values()) clearTimeout(t);
      this.kills.clear();
      for (const p of [...this.ports.values()]) p.exited();
    });
    // A host that crashes ends its VUs (exit above); the error itself is the runner's, not the script's.
    this.worker.on('error', () => undefined);
  }

  send(msg: HostCommand): void {
    this.worker.postMessage(msg);
  }

  kill(vu: number): void {
    if (this.ended) return;
    this.send({ t: 'kill', vu });
    const timer = setTimeout(() => void this.worker.terminate(), KILL_ACK_MS);
    timer.unref();
    clearTimeout(this.kills.get(vu));
    this.kills.set(vu, timer);
  }
}

/** The files the hosts run (shared/build.ts). */
export interface SharedFiles {
  hostPath: string;
  runtimePath: string;
  scriptPath: string;
  /** The user's script, as stack frames name it. */
  originalScript: string;
}

/**
 * A run's host threads. The init VU (setup, teardown, handleSummary) has a thread of its own, so a
 * load VU stuck in a loop that never suspends (it holds its whole thread) cannot hold up the run's
 * end; load VU n runs on load thread (n - 1) mod threads.
 */
export class SharedHosts {
  private readonly hosts: HostThread[] = [];

  constructor(
    private readonly files: SharedFiles,
    private readonly threads: number,
  ) {}

  private hostFor(vuId: number): HostThread {
    const i = vuId === 0 ? 0 : 1 + ((vuId - 1) % this.threads);
    while (this.hosts.length <= i) this.hosts.push(this.startHost());
    // A thread ended for holding a VU that never suspended is replaced for the VUs started after it.
    if (this.hosts[i]!.ended) this.hosts[i] = this.startHost();
    return this.hosts[i]!;
  }

  private startHost(): HostThread {
    const data: HostData = {
      runtimePath: this.files.runtimePath,
      scriptPath: this.files.scriptPath,
      scriptUrl: pathToFileURL(this.files.originalScript).href,
      // The host's and the runtime's bundle folders are the runner's too: their frames are not the script's.
      engineDirs: [...ENGINE_DIRS, dirname(this.files.hostPath) + sep, dirname(this.files.scriptPath) + sep],
    };
    return new HostThread(this.files.hostPath, data);
  }

  /** PoolConfig.spawn for this model: starts VU `vuId` on its host and waits for its init code. */
  spawn(cfg: PoolConfig, vuId: number): Promise<{ vu: VuHandle; options: unknown; exports: string[] }> {
    const host = this.hostFor(vuId);
    const cellsBuf = new SharedArrayBuffer(CELLS_BYTES);
    const port = new VuPort(host, vuId, new Int32Array(cellsBuf));
    host.ports.set(vuId, port);
    const decoder = new HttpSampleDecoder();
    host.send({
      t: 'spawn',
      vu: vuId,
      data: {
        vuId,
        env: cfg.env,
        scriptDir: cfg.scriptDir,
        cells: cellsBuf,
        testTags: cfg.testTags,
        options: cfg.options,
        nice: 0,
        vuSocketAddon: null,
        responseLimits: cfg.responseLimits ?? DEFAULT_RESPONSE_LIMITS,
      },
    });
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        cfg.cancel?.removeEventListener('abort', onCancel);
        port.off('message', onEvent);
        port.off('exit', onExit);
      };
      const fail = (err: InitError, stuck = false): void => {
        settle();
        void port.terminate();
        // A busy loop in init code holds the whole host thread: only ending the thread stops it.
        if (stuck) void host.worker.terminate();
        reject(err);
      };
      const onExit = (): void => fail(new InitError(`VU ${vuId} exited during init`));
      // The init code may never return (a loop in it holds the whole thread): the thread goes with it.
      const onCancel = (): void => fail(new InitError(`VU ${vuId}'s init code was interrupted`), true);
      const limit = cfg.initTimeoutMs ?? 0;
      const timer = limit > 0 ? setTimeout(() => fail(initTimedOut(vuId, limit), true), limit) : undefined;
      const onEvent = (ev: VuEvent | { t: 'initError'; message: string }): void => {
        if (ev.t === 'initError') return fail(new InitError(ev.message));
        if (forwardVuEvent(ev, cfg.hooks, decoder) || ev.t !== 'ready') return;
        settle();
        const vu = new VuHandle(vuId, port as unknown as Worker, cellsBuf, cfg.hooks, decoder, cfg.testTags);
        resolve({ vu, options: ev.options, exports: ev.exports });
      };
      port.on('message', onEvent);
      port.once('exit', onExit);
      if (cfg.cancel?.aborted) onCancel();
      else cfg.cancel?.addEventListener('abort', onCancel, { once: true });
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.hosts.map((h) => h.worker.terminate()));
  }
}
