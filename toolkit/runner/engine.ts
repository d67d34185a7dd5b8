/**
 * The built-in engine: bundle → init VU (options) → VUs initialised → setup →
 * scenarios on their schedule with live thresholds → teardown → summary.
 * Every worker is terminated on the way out, whatever happened.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ToolkitError } from '../errors.ts';
import {
  abortMessage,
  createJsonOutput,
  evaluateThresholds,
  formatLog,
  initialVus,
  K6_EXIT_CODE,
  MetricsRegistry,
  parseThresholds,
  PerSecondAggregator,
  planRun,
  scenarioMaxMs,
  scenarioNominalMs,
  shouldAbort,
  type JsonOutput,
  type MetricDef,
  type Progress,
  type RunOutcome,
  type RunPlan,
  type RunScriptOptions,
  type Sample,
  type ScenarioPlan,
  type ThresholdResult,
  type ThresholdSpec,
  type Writer,
} from '../k6-core/index.ts';
import { bundleForRunner } from './bundle.ts';
import { runExecutor } from './executors/index.ts';
import { HttpIo } from './http-io.ts';
import { holdTurbofanOff, turbofanOff } from './jit.ts';
import { ensureVuSocketAddon } from './native/build.ts';
import { createProgressWriter, type ProgressWriter } from './progress.ts';
import type { RunSpec } from './protocol.ts';
import { finishRun } from './finish.ts';
import { runSetup, runTeardown } from './lifecycle.ts';
import { InitError, spawnMany, spawnVu, type PoolConfig, type VuHandle } from './vu-pool.ts';

/** The fallback to the shared pool is said once per process, not once per run. */
let transportWarned = false;

export class BuiltinEngine {
  readonly registry = new MetricsRegistry();
  readonly perSecond = new PerSecondAggregator();
  readonly stopper = new AbortController();
  readonly io = new HttpIo();
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly cwd: string;
  plan!: RunPlan;
  specs: ThresholdSpec[] = [];
  lastResults: ThresholdResult[] = [];
  stopCode: number | null = null;
  /** Which transport served plain-http requests: the VUs' own sockets or the shared pool. */
  httpTransport: 'vu' | 'shared' = 'shared';
  stopReason: string | null = null;
  testStart = 0;
  testEnd = 0;
  iterations = 0;
  interrupted = 0;
  private json: JsonOutput | null = null;
  private jsonStream: WriteStream | null = null;
  private pool!: PoolConfig;
  initVu: VuHandle | null = null;
  readonly vus: VuHandle[] = [];
  private nextVuId = 1;
  private ticks = 0;
  private setupJson: string | null = null;
  private bundleDir: string | null = null;
  private releaseTurbofan: (() => void) | null = null;
  private progress: ProgressWriter;

  constructor(readonly opts: RunScriptOptions) {
    this.stdout = opts.stdout ?? { write: () => true };
    this.stderr = opts.stderr ?? { write: () => true };
    this.cwd = opts.cwd ?? '.';
    this.progress = createProgressWriter(this.stderr, opts.quiet ?? false);
    // Every in-flight VU command listens for the stop: hundreds of listeners are expected.
    setMaxListeners(0, this.stopper.signal);
  }

  log(level: string, msg: string, fields: Record<string, string> = {}): void {
    this.stderr.write(formatLog(level, msg, fields) + '\n');
  }

  /** Stops the test early; the first reason wins. */
  stop(code: number, reason: string): void {
    if (this.stopCode !== null) return;
    this.stopCode = code;
    this.stopReason = reason;
    this.stopper.abort();
  }

  onSamples(samples: Sample[]): void {
    try {
      this.registry.add(samples);
    } catch (err) {
      this.log('error', (err as Error).message);
    }
    this.perSecond.add(samples);
    this.json?.samples(samples);
  }

  onMetric(def: MetricDef): void {
    try {
      this.registry.define(def);
      this.json?.metric(def);
    } catch (err) {
      this.log('error', err instanceof Error ? err.message : String(err));
    }
  }

  async run(): Promise<RunOutcome> {
    const onSignal = (): void => this.stop(K6_EXIT_CODE.externalAbort, 'interrupted by signal');
    this.opts.signal?.addEventListener('abort', onSignal, { once: true });
    try {
      if (this.opts.signal?.aborted) onSignal();
      const early = await this.prepare();
      if (early) return early;
      const setupJson = await runSetup(this);
      if (setupJson === undefined) return this.scriptFailure('setup() failed');
      await this.broadcast(setupJson);
      await this.runScenarios();
      await runTeardown(this, setupJson);
      return await finishRun(this);
    } finally {
      this.opts.signal?.removeEventListener('abort', onSignal);
      await this.cleanup();
    }
  }

  /** Bundles, runs the init context once for options, validates, starts all VUs. Returns an outcome on script errors. */
  private async prepare(): Promise<RunOutcome | null> {
    const scriptPath = resolve(this.cwd, this.opts.script);
    const bundlePath = await bundleForRunner(scriptPath);
    this.bundleDir = dirname(bundlePath);
    const hooks = {
      onSamples: (s: Sample[]) => this.onSamples(s),
      onMetric: (d: MetricDef) => this.onMetric(d),
      onLog: (level: string, msg: string, fields: Record<string, string>) => this.log(level, msg, fields),
      onAbort: (reason: string) => this.stop(K6_EXIT_CODE.scriptAborted, `test aborted: ${reason}`),
    };
    const nice = this.opts.vuNice ?? 12;
    const vuSocketAddon = await this.pickTransport();
    const base = {
      bundlePath,
      env: this.opts.env ?? {},
      scriptDir: dirname(scriptPath),
      io: this.io,
      hooks,
      nice,
      vuSocketAddon,
    };
    let first;
    try {
      first = await spawnVu({ ...base, testTags: {}, options: {} }, 0);
    } catch (err) {
      if (err instanceof InitError) return this.scriptFailure(err.message);
      throw err;
    }
    this.initVu = first.vu;
    this.plan = planRun(first.options, this.opts.options);
    this.checkExecs(first.exports);
    this.specs = this.parseThresholds();
    // The init VU ran before the options were known; setup() and teardown() need them too.
    first.vu.worker.postMessage({ t: 'options', options: this.plan.options });
    await this.openJson();
    this.pool = { ...base, testTags: this.plan.tags, options: this.plan.options };
    const total = this.plan.scenarios.reduce((a, s) => a + initialVus(s), 0);
    // VUs initialised up front (arrival-rate: preAllocatedVUs), the ones expected to be busy; maxVUs is only a cap.
    if (turbofanOff(total, this.opts.processEnv ?? process.env)) this.releaseTurbofan = holdTurbofanOff();
    try {
      this.vus.push(...(await spawnMany(this.pool, 1, total)));
    } catch (err) {
      if (err instanceof InitError) return this.scriptFailure(err.message);
      throw err;
    }
    this.nextVuId = total + 1;
    return null;
  }

  /** The vu-socket addon's path when VUs may use their own sockets, else null (shared pool only). */
  private async pickTransport(): Promise<string | null> {
    const choice = this.opts.httpTransport ?? 'auto';
    if (choice === 'shared') {
      this.httpTransport = 'shared';
      return null;
    }
    const build = await ensureVuSocketAddon(this.opts.processEnv ?? process.env);
    if (build.path !== null) {
      this.httpTransport = 'vu';
      return build.path;
    }
    if (choice === 'vu') {
      throw new ToolkitError(
        'BUILD_FAILED',
        `httpTransport "vu": the per-VU socket addon is not available: ${build.reason}`,
        {
          fix: 'install a C compiler (Debian: apt-get install gcc) or use the shared pool (--http-transport shared)',
          exitCode: K6_EXIT_CODE.invalidConfig,
        },
      );
    }
    if (!transportWarned) {
      transportWarned = true;
      this.log(
        'warn',
        `per-VU sockets unavailable (${build.reason}): HTTP runs on the shared connection pool, which serves about half the requests per second`,
      );
    }
    this.httpTransport = 'shared';
    return null;
  }

  private checkExecs(exports: string[]): void {
    for (const s of this.plan.scenarios) {
      if (exports.includes(s.exec)) continue;
      throw new ToolkitError(
        'SCRIPT_INVALID',
        `options.scenarios.${s.name}.exec: the script exports no function "${s.exec}"`,
        {
          fix: `export function ${s.exec}() from ${this.opts.script}, or set exec to one of: ${exports.join(', ') || '(none)'}`,
          exitCode: K6_EXIT_CODE.invalidConfig,
        },
      );
    }
  }

  /** Invalid thresholds are invalid options: k6 exits 104 for them. */
  private parseThresholds(): ThresholdSpec[] {
    try {
      return parseThresholds(this.plan.thresholds, this.registry);
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

  private async openJson(): Promise<void> {
    const path = this.opts.jsonOut;
    if (!path) return;
    await mkdir(dirname(resolve(this.cwd, path)), { recursive: true });
    const stream = createWriteStream(resolve(this.cwd, path));
    this.jsonStream = stream;
    this.json = createJsonOutput((line) => void stream.write(line + '\n'), { thresholds: this.specs });
    for (const def of this.registry.definitions()) this.json.metric(def);
  }

  scriptFailure(message: string): RunOutcome {
    this.log('error', message, { source: 'stacktrace' });
    return {
      exitCode: this.stopCode ?? K6_EXIT_CODE.scriptException,
      engine: 'builtin',
      summary: null,
      thresholds: [],
      timeseries: [],
      durationMs: 0,
      aborted: message,
    };
  }

  private async broadcast(json: string | null): Promise<void> {
    this.setupJson = json;
    for (const vu of this.vus) vu.worker.postMessage({ t: 'setupData', json });
  }

  progressSnapshot(): Progress {
    const totalMs = Math.max(0, ...this.plan.scenarios.map((s) => s.startTimeMs + scenarioNominalMs(s)));
    return {
      elapsedMs: (this.testEnd || Date.now()) - this.testStart,
      totalMs,
      vus: this.vus.filter((v) => v.busy).length,
      vusMax: this.vus.length,
      iterations: this.iterations,
      interrupted: this.interrupted,
    };
  }

  private tick(): void {
    const now = Date.now();
    const snap = this.progressSnapshot();
    this.onSamples([
      { metric: 'vus', value: snap.vus, time: now, tags: { ...this.plan.tags } },
      { metric: 'vus_max', value: snap.vusMax, time: now, tags: { ...this.plan.tags } },
    ]);
    this.progress.update(snap);
    this.opts.onProgress?.(snap);
    // k6 evaluates thresholds every 2 s during the run; abortOnFail timing follows from that.
    this.ticks++;
    if (this.ticks % 2 !== 1 || this.stopCode !== null) return;
    this.lastResults = evaluateThresholds(this.registry, this.specs, { elapsedMs: now - this.testStart, final: false });
    const breach = shouldAbort(this.lastResults, this.specs, now - this.testStart);
    if (breach) {
      this.log('error', abortMessage(this.lastResults));
      this.stop(K6_EXIT_CODE.thresholdsFailed, 'thresholds crossed (abortOnFail)');
    }
  }

  private async runScenarios(): Promise<void> {
    this.testStart = Date.now();
    const ticker = setInterval(() => this.tick(), 1000);
    let vuIndex = 0;
    const jobs = this.plan.scenarios.map((s) => {
      const vus = this.vus.slice(vuIndex, (vuIndex += initialVus(s)));
      return this.runScenario(s, vus);
    });
    this.tick();
    // Executors bound themselves; this is the safety net that keeps a run within its options whatever happens.
    const limitMs = Math.max(0, ...this.plan.scenarios.map((s) => s.startTimeMs + scenarioMaxMs(s))) + 5000;
    const guard = setTimeout(() => {
      this.log('warn', `the run exceeded its options' maximum (${limitMs} ms with graceful stops): stopping every VU`);
      this.stopper.abort();
    }, limitMs);
    try {
      await Promise.all(jobs);
    } finally {
      clearTimeout(guard);
      clearInterval(ticker);
      this.testEnd = Date.now();
      this.tick();
      this.progress.done(this.progressSnapshot());
    }
  }

  private async runScenario(plan: ScenarioPlan, vus: VuHandle[]): Promise<void> {
    const wait = this.testStart + plan.startTimeMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.stopper.signal.aborted) return;
    const run: RunSpec = {
      scenario: plan.name,
      executor: plan.executor,
      exec: plan.exec,
      env: plan.env,
      tags: plan.tags,
      counter: new SharedArrayBuffer(4),
      scenarioStart: Date.now(),
      testStart: this.testStart,
      plannedMs:
        plan.executor === 'shared-iterations' || plan.executor === 'per-vu-iterations' ? 0 : scenarioNominalMs(plan),
    };
    const dropTags = { ...this.plan.tags, ...plan.tags, scenario: plan.name };
    await runExecutor({
      plan,
      vus,
      run,
      signal: this.stopper.signal,
      addVu: () => this.addVu(),
      onDropped: (n) => this.onSamples([{ metric: 'dropped_iterations', value: n, time: Date.now(), tags: dropTags }]),
      onIterations: (done, interrupted) => {
        this.iterations += done;
        this.interrupted += interrupted;
      },
    });
  }

  private async addVu(): Promise<VuHandle> {
    const { vu } = await spawnVu(this.pool, this.nextVuId++);
    vu.worker.postMessage({ t: 'setupData', json: this.setupJson });
    this.vus.push(vu);
    return vu;
  }

  private async cleanup(): Promise<void> {
    this.releaseTurbofan?.();
    const all = [...this.vus, ...(this.initVu ? [this.initVu] : [])];
    await Promise.allSettled(all.map((v) => v.terminate()));
    await this.io.close();
    if (this.jsonStream) await new Promise((r) => this.jsonStream!.end(r));
    if (this.bundleDir) await rm(this.bundleDir, { recursive: true, force: true });
  }
}
