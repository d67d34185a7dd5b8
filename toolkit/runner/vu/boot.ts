/** The VU's command loop: runs setup/teardown/handleSummary and iterations on the main thread's orders. */
import { setImmediate } from 'node:timers';
import { parentPort } from 'node:worker_threads';
import type { RunSpec, VuCommand } from '../protocol.ts';
import { CELL } from '../protocol.ts';
import { applyConnectionOptions, iterationConnections } from './bridge.ts';
import { applyHttpOptions, emitIoSamples, resetCookieJar } from './http-request.ts';
import { discardTimers, settleTimers, timersBusy } from './k6-timers.ts';
import { ENGINE_DIRS, k6Exception, scriptFrames } from '../stack.ts';
import {
  baseTags,
  cells,
  data,
  emit,
  flush,
  flushNextSample,
  InterruptedIteration,
  post,
  tagsChanged,
  TestAbort,
  vu,
} from './state.ts';

type Fn = (arg?: unknown) => unknown;
let script: Record<string, unknown> = {};
let setupData: unknown = undefined;
const g = globalThis as Record<string, unknown>;

const yieldLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The runner's own folders, as the main thread knows them (this bundle's import.meta.url is not theirs). */
let engineDirs: readonly string[] = ENGINE_DIRS;

function logError(err: unknown, run: RunSpec | null): void {
  const fields: Record<string, string> = { hint: 'script exception', source: 'stacktrace' };
  if (run) Object.assign(fields, { executor: run.executor, scenario: run.scenario });
  post({ t: 'log', level: 'error', msg: k6Exception(err, engineDirs), fields });
}

/** Where exec.test.abort() was called, as k6 appends it to the reason: the script's innermost frame. */
function abortedAt(err: TestAbort): TestAbort {
  const where = scriptFrames(err.stack ?? '', engineDirs)[0];
  return new TestAbort(where ? `${err.message} ${where}` : err.message);
}

/**
 * Runs one iteration; returns false when it was interrupted (not counted, as in k6). An iteration
 * ended by exec.test.abort() counts, then the abort goes on to stop the test.
 */
async function iterate(fn: Fn, run: RunSpec): Promise<boolean> {
  const start = performance.now();
  g.__ITER = vu.iterationInScenario;
  Atomics.store(cells, CELL.iteration, vu.iterationInScenario);
  if (!data.options.noCookiesReset) resetCookieJar();
  iterationConnections(data.options);
  if (vu.group !== '') {
    vu.group = '';
    tagsChanged();
  }
  let complete = true;
  let abort: TestAbort | null = null;
  try {
    const r = fn(setupData);
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
    if (timersBusy()) await settleTimers();
  } catch (err) {
    discardTimers(err instanceof InterruptedIteration);
    if (err instanceof TestAbort) abort = abortedAt(err);
    else if (err instanceof InterruptedIteration) {
      complete = false;
      // k6 counts it as interrupted and says nothing: which one it was is perfkit's detail.
      post({
        t: 'log',
        level: 'detail',
        msg: `VU ${data.vuId} iteration ${vu.iterationInScenario} of scenario "${run.scenario}" was cut short (the end of its gracefulStop, or the run stopped); the requests it made are counted`,
        fields: { vu: String(data.vuId), iteration: String(vu.iterationInScenario), scenario: run.scenario },
      });
    } else logError(err, run);
  }
  if (vu.group !== '') {
    vu.group = '';
    tagsChanged();
  }
  emitIoSamples();
  vu.iterationInScenario++;
  vu.iterationInInstance++;
  if (!complete) return false;
  const tags = baseTags();
  emit('iteration_duration', performance.now() - start, tags);
  emit('iterations', 1, tags);
  if (abort) throw abort;
  return true;
}

function enterScenario(run: RunSpec): Fn {
  // Arrival-rate VUs get a command per iteration: rebuild env and tags only when the scenario changes.
  if (vu.run?.scenario !== run.scenario) {
    vu.iterationInScenario = 0;
    g.__ENV = { ...data.env, ...run.env };
    vu.run = run;
    tagsChanged();
  }
  vu.run = run;
  const fn = script[run.exec];
  if (typeof fn !== 'function') throw new Error(`function "${run.exec}" is not exported by the script`);
  return fn as Fn;
}

async function loop(cmd: Extract<VuCommand, { t: 'loop' }>): Promise<void> {
  const fn = enterScenario(cmd.run);
  flushNextSample();
  const counter = new Int32Array(cmd.run.counter);
  let done = 0;
  let interrupted = 0;
  let lastYield = performance.now();
  for (;;) {
    if (Atomics.load(cells, CELL.softStop) || Atomics.load(cells, CELL.interrupt)) break;
    if (cmd.endAt && Date.now() >= cmd.endAt) break;
    if (cmd.perVu && done + interrupted >= cmd.perVu) break;
    const n = Atomics.add(counter, 0, 1);
    if (cmd.sharedTotal && n >= cmd.sharedTotal) break;
    vu.iterationInTest = n;
    if (await iterate(fn, cmd.run)) done++;
    else interrupted++;
    flush();
    // Let the VU's timers and messages run between iterations. A turn of the event loop costs more
    // than a tiny iteration, and at 50 VUs every 2 ms it cost 20-30 % of the req/s: every 50 ms.
    if (performance.now() - lastYield >= 50) {
      await yieldLoop();
      lastYield = performance.now();
    }
  }
  flush(true);
  post({ t: 'done', iterations: done, interrupted });
}

async function once(run: RunSpec): Promise<void> {
  const fn = enterScenario(run);
  vu.iterationInTest = Atomics.add(new Int32Array(run.counter), 0, 1);
  const ok = await iterate(fn, run);
  // The VU may idle for long after this: nothing would flush later.
  flush(true);
  post({ t: 'done', iterations: ok ? 1 : 0, interrupted: ok ? 0 : 1 });
}

/** setup / teardown / handleSummary: result travels back as a structured-clone value. */
async function lifecycle(name: 'setup' | 'teardown' | 'handleSummary', arg: unknown): Promise<void> {
  const fn = script[name];
  vu.run = null;
  vu.group = name === 'handleSummary' ? '' : `::${name}`;
  tagsChanged();
  try {
    let value: unknown = typeof fn === 'function' ? (fn as Fn)(arg) : undefined;
    if (value && typeof (value as Promise<unknown>).then === 'function') value = await value;
    if (timersBusy()) await settleTimers();
    if (typeof fn === 'function' && name !== 'handleSummary') emitIoSamples();
    flush(true);
    if (name === 'setup') value = value === undefined ? null : JSON.stringify(value);
    post({ t: 'result', ok: true, value });
  } catch (err) {
    discardTimers();
    if (name !== 'handleSummary') emitIoSamples();
    flush(true);
    if (err instanceof TestAbort) return post({ t: 'abort', reason: err.message });
    // A signal or timeout interrupted it at a sleep or request: the runner says why, not the script.
    if (err instanceof InterruptedIteration) return post({ t: 'result', ok: false, value: null });
    post({ t: 'result', ok: false, value: null, error: k6Exception(err, engineDirs) });
  }
}

async function onCommand(cmd: VuCommand): Promise<void> {
  Atomics.store(cells, CELL.reply, 0);
  try {
    if (cmd.t === 'options') {
      data.options = cmd.options;
      applyHttpOptions(cmd.options);
      applyConnectionOptions(cmd.options);
    } else if (cmd.t === 'setupData') setupData = cmd.json === null ? undefined : JSON.parse(cmd.json);
    else if (cmd.t === 'loop') await loop(cmd);
    else if (cmd.t === 'once') await once(cmd.run);
    else if (cmd.t === 'setup') await lifecycle('setup', undefined);
    else if (cmd.t === 'teardown') await lifecycle('teardown', cmd.json === null ? undefined : JSON.parse(cmd.json));
    else if (cmd.t === 'summary') await lifecycle('handleSummary', cmd.data);
  } catch (err) {
    flush(true);
    if (err instanceof TestAbort) post({ t: 'abort', reason: err.message });
    else {
      logError(err, vu.run);
      post({ t: 'done', iterations: 0, interrupted: 0 });
    }
  }
}

function cloneOptions(options: unknown): unknown {
  return options === undefined ? {} : JSON.parse(JSON.stringify(options));
}

/** Called by the bundle after the script's init code ran. */
export function boot(mod: Record<string, unknown>, ownDirs?: readonly string[]): void {
  script = mod;
  if (ownDirs) engineDirs = ownDirs;
  vu.inInit = false;
  applyHttpOptions(data.options);
  applyConnectionOptions(data.options);
  flush(true);
  post({
    t: 'ready',
    options: cloneOptions(mod.options),
    exports: Object.keys(mod).filter((k) => typeof mod[k] === 'function'),
  });
  parentPort?.on('message', (cmd: VuCommand) => void onCommand(cmd));
}
