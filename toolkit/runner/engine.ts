/**
 * The built-in engine's run: prepare (bundle, init VU, options, VUs) → setup →
 * scenarios on their schedule with live thresholds → teardown → finish
 * (summary, files, exit code). Each step is a function of what the previous
 * ones returned; every worker, file and switch they acquire is undone on the
 * way out, whatever happened.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToolkitError } from '../errors.ts';
import { K6_EXIT_CODE, type RunOutcome, type RunScriptOptions } from '../k6-core/index.ts';
import { planExtent } from './banner.ts';
import { Cleanup } from './cleanup.ts';
import { finish } from './finish.ts';
import { LazyHttpIo } from './lazy-http-io.ts';
import { runSetup, runTeardown } from './lifecycle.ts';
import { createLog, DETAIL, type Log } from './log.ts';
import { prepare, type PreparedRun, type RunServices } from './prepare.ts';
import { createProgressWriter } from './progress.ts';
import { withDefaults, type BuiltinOptions } from './run-options.ts';
import { SampleSink } from './sample-sink.ts';
import { runScenarios } from './scenarios.ts';
import { StopController } from './stop-controller.ts';

/** k6 2.x's summary modes. */
const SUMMARY_MODES = ['compact', 'full', 'disabled'];

/** Runs a k6 script on the built-in engine; NDJSON samples go to jsonOut, or to outDir/samples.ndjson. */
export async function runBuiltin(options: RunScriptOptions): Promise<RunOutcome> {
  const opts = withDefaults(options);
  const log = createLog(opts.stderr);
  if (!SUMMARY_MODES.includes(opts.summaryMode ?? 'compact')) {
    // k6 2.x refuses the mode before loading the script (legacy is gone since 2.0).
    log('error', 'invalid summary mode');
    opts.stderr.write(`--summary-mode ${opts.summaryMode ?? ''}: use compact (the default), full or disabled\n`);
    return emptyOutcome(K6_EXIT_CODE.genericError);
  }
  const stop = new StopController();
  const sink = new SampleSink(log, { breakdown: opts.summaryMode === 'full' });
  const svc: RunServices = { sink, stop, io: new LazyHttpIo(), log, cleanup: new Cleanup() };
  svc.cleanup.defer(() => svc.io.close());
  svc.cleanup.defer(() => svc.sink.close());
  // k6 names the signal as Go prints it (SIGINT 'interrupt', SIGTERM 'terminated') when the run ends.
  let signalName: string | null = null;
  const onSignal = (): void => {
    if (stop.code !== null) return;
    signalName = /SIGTERM/.test(String((opts.signal?.reason as Error | undefined)?.message))
      ? 'terminated'
      : 'interrupt';
    stop.stop(K6_EXIT_CODE.externalAbort, 'interrupted by signal');
  };
  opts.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    if (opts.signal?.aborted) onSignal();
    const prepared = await prepare(opts, svc).catch((err: unknown) => {
      // k6's own invalid options (SCRIPT_INVALID) are logged as k6 logs them; perfkit's (a transport
      // that cannot be built) stay errors for the caller.
      if (err instanceof ToolkitError && err.exitCode === K6_EXIT_CODE.invalidConfig && err.code === 'SCRIPT_INVALID')
        return invalidConfig(opts, err, log);
      if (!(err instanceof ToolkitError) || err.exitCode !== K6_EXIT_CODE.scriptException) throw err;
      return loadFailure(opts, err, log);
    });
    if ('exitCode' in prepared) return prepared;
    if ('failure' in prepared) return scriptFailure(prepared.failure, stop, log);
    return await runPrepared(opts, prepared, svc);
  } finally {
    opts.signal?.removeEventListener('abort', onSignal);
    await svc.cleanup.run();
    if (signalName !== null && stop.code === K6_EXIT_CODE.externalAbort)
      log('error', `test run was aborted because k6 received a '${signalName}' signal`);
  }
}

async function runPrepared(opts: BuiltinOptions, prepared: PreparedRun, svc: RunServices): Promise<RunOutcome> {
  const { sink, stop, log } = svc;
  const progress = createProgressWriter(opts.stdout, opts.quiet ?? false, planExtent(prepared.plan).maxDurationMs);
  const finishNow = (): Promise<RunOutcome> => {
    prepared.initTicks.keep();
    const window = { startedAt: Date.now(), durationMs: 0 };
    return finish({ opts, prepared, sink, stop, log, window, progress, setupJson: null });
  };
  // A signal during the VUs' init code or setup(): no test, but k6's summary and export all the same.
  if (stop.code === K6_EXIT_CODE.externalAbort) return finishNow();
  const setup = await runSetup(prepared, stop, log);
  if (stop.code === K6_EXIT_CODE.externalAbort) return finishNow();
  if (!setup.ok) return scriptFailure('setup() failed', stop, log);
  for (const vu of prepared.vus.list()) vu.worker.postMessage({ t: 'setupData', json: setup.json });
  prepared.initTicks.testStarts();
  const window = await runScenarios({
    prepared,
    sink,
    stop,
    log,
    progress,
    onProgress: opts.onProgress,
    setupJson: setup.json,
  });
  await runTeardown(prepared, setup.json, stop, log);
  const iterations = sink.registry.state('iterations')?.sink;
  if (stop.code === null && (iterations?.type !== 'counter' || iterations.count === 0))
    log('warning', 'No script iterations fully finished, consider making the test duration longer');
  return finish({ opts, prepared, sink, stop, log, window, progress, setupJson: setup.json });
}

/** A script that cannot be loaded (a module k6 cannot resolve, a syntax error): k6 2.x's exit 107 and log line. */
function loadFailure(opts: BuiltinOptions, err: ToolkitError, log: Log): RunOutcome {
  const url = pathToFileURL(resolve(opts.cwd, opts.script)).href;
  log('error', `could not initialize '${opts.script}': could not load JS test '${url}': ${err.message}`);
  // k6 prints the line above alone; perfkit's fix follows as a plain line of its own.
  if (err.fix) log(DETAIL, `hint: ${err.fix}`);
  return { ...emptyOutcome(err.exitCode), aborted: err.message };
}

/** Invalid options (a threshold k6 refuses, an unknown exec): k6 logs them at error level and exits 104. */
function invalidConfig(opts: BuiltinOptions, err: ToolkitError, log: Log): RunOutcome {
  log('error', err.message);
  if (err.fix) opts.stderr.write(`  fix: ${err.fix}\n`);
  return { ...emptyOutcome(err.exitCode), aborted: err.message };
}

const emptyOutcome = (exitCode: number): RunOutcome => ({
  exitCode,
  engine: 'builtin',
  summary: null,
  thresholds: [],
  timeseries: [],
  durationMs: 0,
  aborted: null,
});

/** The outcome of a script that threw before the test (init code, setup): k6's exit 107 unless the run was stopped. */
function scriptFailure(message: string, stop: StopController, log: Log): RunOutcome {
  // Stopped by a signal: the VUs' init was cut short, which says nothing about the script.
  if (stop.code !== K6_EXIT_CODE.externalAbort)
    log('error', message, { hint: 'script exception', source: 'stacktrace' });
  return { ...emptyOutcome(stop.code ?? K6_EXIT_CODE.scriptException), aborted: message };
}
