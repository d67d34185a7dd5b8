/**
 * One VU of the shared model on its host thread: its own vm context (globals, __VU, __ITER, the
 * k6 modules' state, cookie jar, init state), the suspension-aware built-ins, the compiled
 * script's init code, then boot.ts's command loop; its HTTP on its own keep-alive connections (net-http.ts).
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import vm from 'node:vm';
import { batchLimits, runBatch } from '../batch-limits.ts';
import { CELL, type HttpReply, type VuEvent, type VuWorkerData } from '../protocol.ts';
import { NetHttp } from './net-http.ts';
import type { VuHostApi } from './vu/host-api.ts';

const nodeRequire = createRequire(import.meta.url);

/** The scripts every VU context runs, compiled once per thread. */
export interface CompiledParts {
  suspend: vm.Script;
  runtime: vm.Script;
  script: vm.Script;
}

/** A wait that an interrupt (the VU's cell) ends early. */
interface Wait {
  cells: Int32Array;
  end(interrupted: boolean): void;
}

/** Checks the interrupt cells of every waiting VU every 50 ms (a graceful stop ends their waits). */
export class Waits {
  private readonly waits = new Set<Wait>();
  private timer: NodeJS.Timeout | null = null;

  add(cells: Int32Array, end: (interrupted: boolean) => void): () => void {
    const w: Wait = { cells, end };
    this.waits.add(w);
    this.timer ??= setInterval(() => this.check(), 50);
    return () => {
      this.waits.delete(w);
    };
  }

  private check(): void {
    for (const w of this.waits) {
      if (Atomics.load(w.cells, CELL.interrupt) === 0) continue;
      this.waits.delete(w);
      w.end(true);
    }
    if (this.waits.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

/** What the host gives a VU to post its events and receive commands. */
export interface VuLink {
  post(ev: VuEvent): void;
  onCommand(fn: (cmd: unknown) => void): void;
}

/** The host functions of one VU: requests on its own pool, sleeps, both ended by its interrupt cell. */
export function hostApi(
  cells: Int32Array,
  waits: Waits,
  limits: VuWorkerData['responseLimits'],
): VuHostApi & { close(): void } {
  let io: NetHttp | null = null;
  const pool = (): NetHttp => (io ??= new NetHttp(limits));
  return {
    http(reqs, options) {
      return new Promise<HttpReply[] | null>((resolve) => {
        let settled = false;
        let forget = (): void => undefined;
        const done = (r: HttpReply[] | null): void => {
          if (settled) return;
          settled = true;
          forget();
          resolve(r);
        };
        forget = waits.add(cells, () => {
          io?.abort();
          done(null);
        });
        const p = pool();
        p.noReuse = options.noConnectionReuse === true;
        p.insecure = options.insecureSkipTLSVerify === true;
        if (reqs.length === 1) p.execute(reqs[0]!, (r) => done([r]));
        else
          runBatch(
            reqs,
            batchLimits(options),
            (spec, reply) => pool().execute(spec, reply),
            (replies) => done(replies),
          );
      });
    },
    sleep(ms) {
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          forget();
          resolve(true);
        }, ms);
        const forget = waits.add(cells, () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
    },
    resetConnections() {
      io?.closeIdle();
    },
    close() {
      io?.close();
      io = null;
    },
  };
}

/** The globals a context gets from the host besides the language's own. */
const HOST_GLOBALS = [
  'performance',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'atob',
  'btoa',
  'structuredClone',
  'AbortController',
  'AbortSignal',
] as const;

/** Starts one VU: evaluates the runtime and the script's init code in a fresh context, then boots it. */
export async function startVu(
  parts: CompiledParts,
  data: VuWorkerData,
  engineDirs: readonly string[],
  link: VuLink,
  waits: Waits,
  formatStack: (err: Error, frames: never[]) => string,
): Promise<{ close(): void }> {
  const cells = new Int32Array(data.cells);
  const api = hostApi(cells, waits, data.responseLimits);
  const port = {
    postMessage: (ev: VuEvent) => link.post(ev),
    on: (type: string, fn: (cmd: unknown) => void) => {
      if (type === 'message') link.onCommand(fn);
    },
  };
  const shims: Record<string, unknown> = {
    'node:worker_threads': { parentPort: port, workerData: { ...data, host: api } },
    // The host thread keeps its priority: VUs and their I/O share it.
    'node:os': { ...os, setPriority: () => undefined },
  };
  const require = (name: string): unknown => shims[name] ?? nodeRequire(name);
  const g = globalThis as Record<string, unknown>;
  const ctx = vm.createContext(Object.fromEntries(HOST_GLOBALS.map((k) => [k, g[k]])));
  (vm.runInContext('Error', ctx) as { prepareStackTrace: unknown }).prepareStackTrace = formatStack;
  parts.suspend.runInContext(ctx);
  const mod = {
    exports: {} as {
      boot(m: Record<string, unknown>, dirs: readonly string[]): void;
      modules: Record<string, unknown>;
    },
  };
  (parts.runtime.runInContext(ctx) as (r: unknown, m: unknown, e: unknown) => void)(require, mod, mod.exports);
  const { boot, modules } = mod.exports;
  const k6 = (name: string): unknown => {
    const m = modules[name];
    if (!m) throw new Error(`the shared VU model does not provide the module "${name}"`);
    return m;
  };
  const exportsObj: Record<string, unknown> = {};
  await (parts.script.runInContext(ctx) as (k: unknown, e: unknown) => Promise<void>)(k6, exportsObj);
  boot(exportsObj, engineDirs);
  return api;
}
