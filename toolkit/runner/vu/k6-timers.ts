/**
 * `k6/timers` and the global setTimeout / setInterval of a VU, as k6's tc55/timers: ids count from 1
 * per VU, a callback's error fails the iteration, and an iteration (setup, teardown) ends only once
 * no timer is pending: boot.ts awaits settleTimers() after the function returned.
 */
import * as node from 'node:timers';
import { InterruptedIteration, isInterrupted, post } from './state.ts';

type Callback = (...args: unknown[]) => unknown;

interface Timer {
  handle: ReturnType<typeof node.setTimeout>;
  name: 'setTimeout' | 'setInterval';
}

const timers = new Map<number, Timer>();
let nextId = 0;
let failure: { err: unknown } | null = null;
let wake: (() => void) | null = null;

function settled(): void {
  if (timers.size === 0 || failure) wake?.();
}

/** A callback's error keeps only the script's frames: the timer plumbing below them says nothing to its author. */
function scriptFrames(err: unknown): unknown {
  if (!(err instanceof Error) || !err.stack) return err;
  const lines = err.stack.split('\n');
  const cut = lines.findIndex((l) => /^\s+at (Timeout\._onTimeout|listOnTimeout|process\.processTimers) /.test(l));
  if (cut > 0) err.stack = lines.slice(0, cut).join('\n');
  return err;
}

function start(name: Timer['name'], callback: unknown, delay: unknown, args: unknown[], id: number): void {
  if (typeof callback !== 'function') throw new TypeError(`${name}'s callback isn't a callable function`);
  const ms = Math.max(0, Number(delay) || 0);
  const due = performance.now() + ms;
  const fire = (): void => {
    if (!timers.has(id)) return;
    // Node's timers run on the event loop's cached clock and can fire up to a millisecond early; Go's
    // (k6's) never do, so a 100 ms timer keeps its iteration at least 100 ms long.
    const early = due - performance.now();
    if (early > 0) return void timers.set(id, { handle: node.setTimeout(fire, Math.ceil(early)), name });
    try {
      (callback as Callback)(...args);
    } catch (err) {
      failure ??= { err: scriptFrames(err) };
    }
    if (!timers.has(id)) return settled();
    if (name === 'setInterval' && !failure) start(name, callback, ms, args, id);
    else timers.delete(id);
    settled();
  };
  timers.set(id, { handle: node.setTimeout(fire, ms), name });
}

export function setTimeout(callback: unknown, delay?: unknown, ...args: unknown[]): number {
  const id = ++nextId;
  start('setTimeout', callback, delay, args, id);
  return id;
}

export function setInterval(callback: unknown, delay?: unknown, ...args: unknown[]): number {
  const id = ++nextId;
  start('setInterval', callback, delay, args, id);
  return id;
}

export function clearTimeout(id: unknown): void {
  const t = timers.get(Number(id));
  if (!t) return;
  node.clearTimeout(t.handle);
  timers.delete(Number(id));
  settled();
}

export const clearInterval = clearTimeout;

/** Drops every pending timer (the iteration failed or was interrupted); with `warn`, says so as k6 does. */
export function discardTimers(warn = false): void {
  for (const [id, t] of timers) {
    node.clearTimeout(t.handle);
    if (warn)
      post({
        t: 'log',
        level: 'warn',
        msg: `${t.name} ${id} was stopped because the VU iteration was interrupted`,
        fields: {},
      });
  }
  timers.clear();
  failure = null;
}

/** True while a timer is pending or a callback failed: boot.ts then awaits settleTimers(). */
export const timersBusy = (): boolean => timers.size > 0 || failure !== null;

/**
 * Resolves once no timer is pending; rejects with a callback's error (the rest are dropped), or with
 * InterruptedIteration when the main thread interrupts the iteration (checked every 50 ms).
 */
export async function settleTimers(): Promise<void> {
  const poll = node.setInterval(() => {
    if (isInterrupted()) wake?.();
  }, 50);
  try {
    while (timers.size > 0 && !failure) {
      if (isInterrupted()) {
        discardTimers(true);
        throw new InterruptedIteration();
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    if (failure) {
      const { err } = failure;
      discardTimers();
      throw err;
    }
  } finally {
    node.clearInterval(poll);
  }
}

/** Scripts see these as globals too, as in k6 (the runner's own code imports node:timers). */
const g = globalThis as Record<string, unknown>;
Object.assign(g, { setTimeout, clearTimeout, setInterval, clearInterval });

export default { setTimeout, clearTimeout, setInterval, clearInterval };
