/**
 * A host thread of the shared VU model: many VUs, each an async loop in its own vm context, on
 * one event loop. Messages from the main thread name their VU; the VUs' events go back batched,
 * once per turn of the loop, as [vuId, event] pairs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type { VuEvent, VuWorkerData } from '../protocol.ts';
import { DEFAULT_RESPONSE_LIMITS } from '../response-limits.ts';
import { k6Exception } from '../stack.ts';
import { hostApi, startVu, Waits, type CompiledParts } from './host-vu.ts';
import { stackFormatter } from './source-map.ts';
import { warmHttp } from './warm.ts';
import { installSuspendable } from './suspend.ts';

/** What the main thread starts a host with. */
export interface HostData {
  runtimePath: string;
  scriptPath: string;
  /** The script's file URL, as its stack frames name it. */
  scriptUrl: string;
  engineDirs: string[];
}

/** Main → host. */
export type HostCommand =
  | { t: 'spawn'; vu: number; data: Omit<VuWorkerData, 'syncPort'> }
  | { t: 'cmd'; vu: number; cmd: unknown }
  | { t: 'kill'; vu: number };

/** Host → main: a batch of events, a VU whose init code failed, or a VU the host has let go (after a kill). */
export type HostEvent = Array<[number, VuEvent | { t: 'initError'; message: string } | { t: 'killed' }]>;

const cfg = workerData as HostData;
const parts: CompiledParts = {
  // Named inside the bundle folder, so stack traces drop their frames as the runner's own.
  suspend: new vm.Script(`(${installSuspendable.toString()})(globalThis);`, {
    filename: join(dirname(cfg.scriptPath), 'suspendable.js'),
  }),
  runtime: new vm.Script(readFileSync(cfg.runtimePath, 'utf8'), { filename: cfg.runtimePath }),
  script: new vm.Script(readFileSync(cfg.scriptPath, 'utf8'), { filename: cfg.scriptUrl }),
};
/** Error.prepareStackTrace of every VU context: the compiled script's frames at the script's own lines. */
const formatStack = stackFormatter(readFileSync(`${cfg.scriptPath}.map`, 'utf8'), cfg.scriptUrl);
const waits = new Waits();
/** VUs start once this thread made its first request (shared/warm.ts). */
const warmed = warmHttp((cells) => hostApi(cells, waits, DEFAULT_RESPONSE_LIMITS));
const listeners = new Map<number, (cmd: unknown) => void>();
const alive = new Map<number, { close(): void } | null>();

let queue: HostEvent = [];
let scheduled = false;
function post(): void {
  scheduled = false;
  if (queue.length === 0) return;
  const batch = queue;
  queue = [];
  parentPort?.postMessage(batch);
}

/**
 * Events go out batched once per turn of the event loop; samples at once (with what is queued before
 * them): a VU that then loops without suspending holds the thread, and what it measured must not be
 * stuck here with it. A VU sends samples at most every 100 ms (and after each arrival-rate iteration).
 */
function send(vu: number, ev: HostEvent[number][1]): void {
  if (!alive.has(vu)) return;
  queue.push([vu, ev]);
  if (ev.t === 'samples') return post();
  if (scheduled) return;
  scheduled = true;
  setImmediate(post);
}

function spawn(vu: number, data: Omit<VuWorkerData, 'syncPort'>): void {
  alive.set(vu, null);
  const link = {
    post: (ev: VuEvent) => send(vu, ev),
    onCommand: (fn: (cmd: unknown) => void) => listeners.set(vu, fn),
  };
  warmed
    .then(() => startVu(parts, data as VuWorkerData, cfg.engineDirs, link, waits, formatStack))
    .then(
      (api) => (alive.has(vu) ? alive.set(vu, api) : api.close()),
      (err: unknown) => {
        send(vu, { t: 'initError', message: k6Exception(err, cfg.engineDirs) });
        alive.delete(vu);
      },
    );
}

parentPort?.on('message', (msg: HostCommand) => {
  if (msg.t === 'spawn') spawn(msg.vu, msg.data);
  else if (msg.t === 'cmd') listeners.get(msg.vu)?.(msg.cmd);
  else if (msg.t === 'kill') {
    alive.get(msg.vu)?.close();
    alive.delete(msg.vu);
    listeners.delete(msg.vu);
    // Tells the main thread this thread still turns its loop (no VU on it holds it).
    queue.push([msg.vu, { t: 'killed' }]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(post);
    }
  }
});
