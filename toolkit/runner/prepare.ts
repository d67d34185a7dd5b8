/**
 * Before the test clock starts: bundle the script, run its init code once on
 * the init VU (__VU 0) for its options, validate them, and initialise the VUs
 * the scenarios start with.
 */
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ToolkitError } from '../errors.ts';
import {
  initialVus,
  K6_EXIT_CODE,
  parseDuration,
  parseThresholds,
  planRun,
  type MetricDef,
  type MetricsRegistry,
  type RunPlan,
  type Sample,
  type ThresholdSpec,
} from '../k6-core/index.ts';
import { executionDescription } from './banner.ts';
import { bundleForRunner } from './bundle.ts';
import type { Cleanup } from './cleanup.ts';
import type { RequestPool } from './lazy-http-io.ts';
import { startInitTicker, type InitTicks } from './init-ticker.ts';
import { holdTurbofanOff, turbofanOff } from './jit.ts';
import { responseLimits } from './response-limits.ts';
import type { Log } from './log.ts';
import type { BuiltinOptions } from './run-options.ts';
import type { SampleSink } from './sample-sink.ts';
import type { StopController } from './stop-controller.ts';
import { pickTransport } from './transport.ts';
import { VuSet } from './vu-set.ts';
import { InitError, spawnVu, type PoolConfig, type VuHandle } from './vu-pool.ts';
import { vuModelChoice } from './shared/choice.ts';

/** A run ready to start: validated options, threshold specs, its VUs initialised. */
export interface PreparedRun {
  plan: RunPlan;
  specs: ThresholdSpec[];
  /** __VU 0: ran the init code for the options; runs setup(), teardown() and handleSummary(). */
  initVu: VuHandle;
  /** The load VUs: those initialised up front, in scenario order, then any started during the test. */
  vus: VuSet;
  /** How to start more VUs during the test. */
  pool: PoolConfig;
  /** Which transport serves plain-http requests. */
  httpTransport: 'vu' | 'shared';
  /** The vus / vus_max ticks of the time before the test. */
  initTicks: InitTicks;
  /** How the VUs run: a worker each, or many per thread (shared/). */
  vuModel: 'isolate' | 'shared';
}

/** The run's long-lived parts that prepare wires the VUs to. */
export interface RunServices {
  sink: SampleSink;
  stop: StopController;
  io: RequestPool;
  log: Log;
  cleanup: Cleanup;
}

/** The script failed before the test (init code threw): the message to report. */
export interface ScriptFailed {
  failure: string;
}

/** Prepares a run; a script error comes back as ScriptFailed, invalid options throw (exit 104). */
export async function prepare(opts: BuiltinOptions, svc: RunServices): Promise<PreparedRun | ScriptFailed> {
  const scriptPath = resolve(opts.cwd, opts.script);
  const bundlePath = await bundleForRunner(scriptPath);
  svc.cleanup.defer(() => rm(dirname(bundlePath), { recursive: true, force: true }));
  const env = opts.processEnv ?? {};
  const choice = vuModelChoice(opts.vuModel, env);
  // Loaded only when asked for: the compile step (acorn, source maps) costs the isolate model's start-up nothing.
  const shared =
    choice === 'isolate'
      ? null
      : await (
          await import('./shared/model.ts')
        ).prepareSharedModel(choice, scriptPath, dirname(bundlePath), env, svc.log, {
          asked: opts.vuModel !== undefined || env.PERFKIT_VU_MODEL !== undefined,
        });
  // The shared model's VUs make their requests on their own undici pools: no addon to build.
  const { transport, addon } = shared
    ? { transport: 'vu' as const, addon: null }
    : await pickTransport(opts.httpTransport ?? 'auto', env, svc.log);
  const vus = new VuSet();
  svc.cleanup.defer(() => vus.terminateAll());
  if (shared) svc.cleanup.defer(() => shared.close());
  const base = { ...poolBase(opts, svc, bundlePath, scriptPath, addon), ...shared?.pool };
  const init = await startInitVu(base, vus);
  if ('failure' in init) return init;
  const plan = planRun(init.options, opts.options, env);
  for (const w of plan.warnings) svc.log('warning', w);
  checkExecs(plan, init.exports, opts.script);
  const specs = thresholdSpecs(plan, svc.sink.registry);
  // The init VU ran before the options were known; setup() and teardown() need them too.
  init.vu.worker.postMessage({ t: 'options', options: plan.options });
  if (opts.jsonOut) await svc.sink.openJson(resolve(opts.cwd, opts.jsonOut), specs);
  const pool: PoolConfig = { ...base, testTags: plan.tags, options: plan.options };
  const total = plan.scenarios.reduce((a, s) => a + initialVus(s), 0);
  // VUs initialised up front (arrival-rate: preAllocatedVUs), the ones expected to be busy; maxVUs is only a cap.
  if (!shared && turbofanOff(total, env)) svc.cleanup.defer(holdTurbofanOff());
  // k6 describes the run before its VUs run their init code: a slow or endless init shows under it.
  if (!opts.quiet) {
    const outputs = opts.jsonOut ? [`json (${opts.jsonOut})`] : [];
    opts.stdout.write(executionDescription(opts.script, outputs, plan));
  }
  const initTicks = startInitTicker(svc.sink, plan.tags, vus);
  svc.cleanup.defer(() => initTicks.testStarts());
  try {
    await vus.spawn(pool, total);
  } catch (err) {
    // Cut short by a signal: k6 still ends the run with its summary (no VU initialised).
    if (err instanceof InitError && svc.stop.code !== K6_EXIT_CODE.externalAbort) return { failure: err.message };
    if (!(err instanceof InitError)) throw err;
  }
  const vuModel = shared ? ('shared' as const) : ('isolate' as const);
  return { plan, specs, initVu: init.vu, vus, pool, httpTransport: transport, initTicks, vuModel };
}

type PoolBase = Omit<PoolConfig, 'testTags' | 'options'>;

function poolBase(
  opts: BuiltinOptions,
  svc: RunServices,
  bundlePath: string,
  scriptPath: string,
  vuSocketAddon: string | null,
): PoolBase {
  const hooks = {
    onSamples: (samples: Sample[]) => svc.sink.add(samples),
    onMetric: (def: MetricDef) => svc.sink.define(def),
    onLog: (level: string, msg: string, fields: Record<string, string>) => svc.log(level, msg, fields),
    onAbort: (reason: string) => {
      // Several VUs may abort at once: k6 logs the one that stopped the test.
      if (svc.stop.code === null) svc.log('error', reason);
      svc.stop.stop(K6_EXIT_CODE.scriptAborted, reason);
    },
  };
  return {
    bundlePath,
    env: opts.env ?? {},
    scriptDir: dirname(scriptPath),
    io: svc.io,
    hooks,
    nice: opts.vuNice ?? 12,
    vuSocketAddon,
    responseLimits: responseLimits(opts.processEnv ?? {}),
    initTimeoutMs: opts.initTimeout === undefined ? 60_000 : parseDuration(opts.initTimeout, '--init-timeout', 's'),
    cancel: svc.stop.signal,
  };
}

/** Runs the init code once, on __VU 0, for the script's options and exports. */
async function startInitVu(
  base: PoolBase,
  vus: VuSet,
): Promise<{ vu: VuHandle; options: unknown; exports: string[] } | ScriptFailed> {
  try {
    const first = await spawnVu({ ...base, testTags: {}, options: {} }, 0);
    vus.keep(first.vu);
    return first;
  } catch (err) {
    if (err instanceof InitError) return { failure: err.message };
    throw err;
  }
}

function checkExecs(plan: RunPlan, exports: string[], script: string): void {
  for (const s of plan.scenarios) {
    if (exports.includes(s.exec)) continue;
    throw new ToolkitError(
      'SCRIPT_INVALID',
      `options.scenarios.${s.name}.exec: the script exports no function "${s.exec}"`,
      {
        fix: `export function ${s.exec}() from ${script}, or set exec to one of: ${exports.join(', ') || '(none)'}`,
        exitCode: K6_EXIT_CODE.invalidConfig,
      },
    );
  }
}

/** Invalid thresholds are invalid options: k6 exits 104 for them. */
function thresholdSpecs(plan: RunPlan, registry: MetricsRegistry): ThresholdSpec[] {
  try {
    return parseThresholds(plan.thresholds, registry);
  } catch (err) {
    if (err instanceof ToolkitError)
      throw new ToolkitError(err.code, err.message, {
        fix: err.fix,
        exitCode: K6_EXIT_CODE.invalidConfig,
        cause: err,
      });
    throw err;
  }
}
