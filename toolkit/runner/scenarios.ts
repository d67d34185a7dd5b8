/**
 * The test itself: every scenario on its schedule from its startTime, with a
 * tick each second (vus samples, progress, thresholds every 2 s for
 * abortOnFail) and a guard that stops every VU if the run outlives its options.
 */
import {
  abortMessage,
  evaluateThresholds,
  initialVus,
  K6_EXIT_CODE,
  scenarioMaxMs,
  scenarioNominalMs,
  shouldAbort,
  type Progress,
  type ScenarioPlan,
} from '../k6-core/index.ts';
import { runExecutor } from './executors/index.ts';
import type { Log } from './log.ts';
import type { PreparedRun } from './prepare.ts';
import { ProgressCounter } from './progress-counter.ts';
import type { ProgressWriter } from './progress.ts';
import type { RunSpec } from './protocol.ts';
import type { SampleSink } from './sample-sink.ts';
import type { StopController } from './stop-controller.ts';
import type { VuHandle } from './vu-pool.ts';

/** What the scenarios run with. */
export interface ScenariosInput {
  prepared: PreparedRun;
  sink: SampleSink;
  stop: StopController;
  log: Log;
  progress: ProgressWriter;
  onProgress?: (p: Progress) => void;
  /** setup()'s data, for VUs started during the test. */
  setupJson: string | null;
}

/** When the test clock started and how long the test ran. */
export interface TestWindow {
  startedAt: number;
  durationMs: number;
}

/** Runs every scenario to its end (or the run's stop) and returns the test's window. */
export async function runScenarios(input: ScenariosInput): Promise<TestWindow> {
  const { prepared, stop } = input;
  const counter = new ProgressCounter(Date.now());
  const ticker = startTicker(input, counter);
  let vuIndex = 0;
  const own = prepared.vus.list().slice();
  const jobs = prepared.plan.scenarios.map((s) =>
    runScenario(s, own.slice(vuIndex, (vuIndex += initialVus(s))), input, counter),
  );
  ticker.tick();
  // Executors bound themselves; this is the safety net that keeps a run within its options whatever happens.
  const limitMs = Math.max(0, ...prepared.plan.scenarios.map((s) => s.startTimeMs + scenarioMaxMs(s))) + 5000;
  const guard = setTimeout(() => {
    input.log('warn', `the run exceeded its options' maximum (${limitMs} ms with graceful stops): stopping every VU`);
    stop.halt();
  }, limitMs);
  try {
    await Promise.all(jobs);
  } finally {
    clearTimeout(guard);
    ticker.stop();
    counter.end();
    ticker.tick();
    input.progress.done(ticker.snapshot());
  }
  return { startedAt: counter.startedAt, durationMs: counter.elapsedMs() };
}

/** Requests, failed requests and checks so far, for the live status line. */
function liveCounts(registry: ScenariosInput['sink']['registry']): Partial<Progress> {
  const reqs = registry.state('http_reqs')?.sink;
  const failed = registry.state('http_req_failed')?.sink;
  const checks = registry.state('checks')?.sink;
  return {
    ...(reqs?.type === 'counter' ? { requests: reqs.count } : {}),
    ...(failed?.type === 'rate' ? { failedRequests: failed.passes } : {}),
    ...(checks?.type === 'rate' ? { checks: checks.total, checksPassed: checks.passes } : {}),
  };
}

interface Ticker {
  /** Progress and (every other call) thresholds; `sample` adds vus / vus_max points (the 1 s ticks). */
  tick(sample?: boolean): void;
  snapshot(): Progress;
  stop(): void;
}

/** Ticks every second from now; tick() can also be called at the start and the end. */
function startTicker(input: ScenariosInput, counter: ProgressCounter): Ticker {
  const { prepared, sink, stop } = input;
  const totalMs = Math.max(0, ...prepared.plan.scenarios.map((s) => s.startTimeMs + scenarioNominalMs(s)));
  const snapshot = (): Progress => ({
    ...counter.snapshot(totalMs, { busy: prepared.vus.busyCount(), max: prepared.vus.list().length }),
    ...liveCounts(sink.registry),
  });
  let ticks = 0;
  // vus / vus_max come only from the 1 s ticker, as in k6: none at the start, none forced at the end.
  const tick = (sample = false): void => {
    const now = Date.now();
    const snap = snapshot();
    const tags = prepared.plan.tags;
    if (sample)
      sink.add([
        { metric: 'vus', value: snap.vus, time: now, tags: { ...tags } },
        { metric: 'vus_max', value: snap.vusMax, time: now, tags: { ...tags } },
      ]);
    input.progress.update(snap);
    input.onProgress?.(snap);
    // k6 evaluates thresholds every 2 s during the run; abortOnFail timing follows from that.
    ticks++;
    if (ticks % 2 !== 1 || stop.code !== null) return;
    const elapsedMs = now - counter.startedAt;
    const results = evaluateThresholds(sink.registry, prepared.specs, { elapsedMs, final: false });
    if (shouldAbort(results, prepared.specs, elapsedMs)) {
      input.log('error', abortMessage(results));
      stop.stop(K6_EXIT_CODE.thresholdsFailed, 'thresholds crossed (abortOnFail)');
    }
  };
  const interval = setInterval(() => tick(true), 1000);
  return { tick, snapshot, stop: () => clearInterval(interval) };
}

async function runScenario(
  plan: ScenarioPlan,
  vus: VuHandle[],
  input: ScenariosInput,
  counter: ProgressCounter,
): Promise<void> {
  const { prepared, sink, stop } = input;
  const wait = counter.startedAt + plan.startTimeMs - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  if (stop.signal.aborted) return;
  const run: RunSpec = {
    scenario: plan.name,
    executor: plan.executor,
    exec: plan.exec,
    env: plan.env,
    tags: plan.tags,
    counter: new SharedArrayBuffer(4),
    scenarioStart: Date.now(),
    testStart: counter.startedAt,
    plannedMs:
      plan.executor === 'shared-iterations' || plan.executor === 'per-vu-iterations' ? 0 : scenarioNominalMs(plan),
  };
  const dropTags = { ...prepared.plan.tags, ...plan.tags, scenario: plan.name };
  await runExecutor({
    plan,
    vus,
    run,
    signal: stop.signal,
    addVu: async () => {
      const vu = await prepared.vus.spawnOne(prepared.pool);
      vu.worker.postMessage({ t: 'setupData', json: input.setupJson });
      return vu;
    },
    onDropped: (n) => sink.add([{ metric: 'dropped_iterations', value: n, time: Date.now(), tags: dropTags }]),
    onIterations: (done, interrupted) => counter.count(done, interrupted),
    warn: (message) => input.log('warning', message, { executor: plan.executor, scenario: plan.name }),
  });
}
