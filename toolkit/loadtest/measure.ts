import path from 'node:path';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { EXIT, ToolkitError } from '../errors.ts';
import { bundleForK6, K6_EXIT_CODE } from '../k6-core/index.ts';
import { describeEngine, runScript, type Progress, type RunOutcome } from '../engines.ts';
import { startBrowserUnderLoad, type BrowserLoadSample, type BrowserUnderLoadHandle } from '../lighthouse/index.ts';
import type { RunningSampler, SamplerPieces, Target } from '../target/index.ts';
import type { LoadtestConfig } from './types.ts';
import { guardPart, type PartFailure } from './parts.ts';
import { startStatus, type StatusStream } from './progress.ts';

/** One scenario's run: the runner's outcome and where its files are. */
export interface ScenarioRun {
  name: string;
  script: string;
  outcome: RunOutcome;
  outDir: string;
  /** NDJSON sample files holding this run's samples (one per k6 instance for imports). */
  sampleFiles: string[];
  /** When the engine was started and when it returned (ms since epoch). */
  span?: { startMs: number; endMs: number };
}

/** Everything measured while the scenarios ran. */
export interface LoadMeasurements {
  scenarios: ScenarioRun[];
  /** What the target's samplers handed back. */
  pieces: SamplerPieces[];
  browserSamples: BrowserLoadSample[];
  /** The browser under load, when it failed (the scenarios ran all the same). */
  failedParts: PartFailure[];
  /** Set when a signal stopped the scenarios: the scenario cut short (null between scenarios). */
  interrupted?: { scenario: string | null };
}

/** The scenario names in the project's scenarios/ folder, for the hint when one is not found. */
function knownScenarios(root: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(path.join(root, 'scenarios'))
      .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
      .map((f) => f.replace(/\.(ts|js)$/, ''))
      .sort();
  } catch {
    // no scenarios/ folder: only paths will do
  }
  return names.length ? `name a file in scenarios/ (${names.join(', ')}) or ` : '';
}

/** The scenario file for a name (scenarios/<name>.ts) or a path given as is. */
export function scenarioPath(root: string, name: string): string {
  const candidates = [name, path.join('scenarios', `${name}.ts`), path.join('scenarios', `${name}.js`)].map((p) =>
    path.resolve(root, p),
  );
  const found = candidates.find((p) => existsSync(p) && statSync(p).isFile());
  if (!found) {
    throw new ToolkitError('FILE_NOT_FOUND', `scenario '${name}' not found (looked for scenarios/${name}.ts)`, {
      fix: `${knownScenarios(root)}give a path to a k6 script`,
    });
  }
  return found;
}

/** k6's name for the exit codes a scenario error maps to, for messages. */
const K6_EXIT_NAME: Record<number, string> = {
  [K6_EXIT_CODE.invalidConfig]: 'invalid config',
  [K6_EXIT_CODE.scriptException]: 'script exception',
};

/**
 * Resolves and compiles every scenario before anything is started (client build, stack, seed, app): a
 * missing file or a script that does not compile is a catalogue error (loadtest's exit 2) that names the
 * scenario and carries k6's exit code and message for the same script.
 */
export async function checkScenarios(root: string, names: string[]): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'perfkit-check-'));
  try {
    for (const name of names) {
      let script: string;
      try {
        script = scenarioPath(root, name);
        await bundleForK6(script, path.join(dir, 'check.js'));
      } catch (err) {
        if (!(err instanceof ToolkitError)) throw err;
        const k6Exit = err.code === 'FILE_NOT_FOUND' ? K6_EXIT_CODE.invalidConfig : err.exitCode;
        throw new ToolkitError(
          err.code,
          `${err.message} (${err.message.includes(`'${name}'`) ? '' : `scenario '${name}'; `}k6 run would exit ${k6Exit}: ${K6_EXIT_NAME[k6Exit] ?? 'error'}); nothing was started`,
          { ...(err.fix ? { fix: err.fix } : {}), exitCode: EXIT.error },
        );
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface MeasureContext {
  config: LoadtestConfig;
  target: Target;
  runDir: string;
  /** The run's clock starts here (ms since epoch). */
  runStartMs: number;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Where the live status of a running scenario goes (none: no status). */
  status?: StatusStream;
}

async function startBrowser(ctx: MeasureContext, failures: PartFailure[]): Promise<BrowserUnderLoadHandle | undefined> {
  if (!ctx.config.browserUnderLoad.enabled) return undefined;
  const { target } = ctx;
  const page = target.pages[0];
  return guardPart('browserUnderLoad', failures, ctx.log, ctx.signal, () =>
    startBrowserUnderLoad({
      url: new URL(page?.path ?? '/', target.baseUrl).toString(),
      intervalMs: ctx.config.browserUnderLoad.intervalMs,
      ...(page?.auth && target.auth ? { auth: target.auth } : {}),
      env: ctx.config.processEnv,
      log: (l) => ctx.log(`  ${l}`),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      maxDurationMs: 60 * 60 * 1000,
    }),
  );
}

/** Stops every sampler; one that fails costs only its own pieces. */
async function stopSamplers(running: RunningSampler[], log: (line: string) => void): Promise<SamplerPieces[]> {
  const pieces: SamplerPieces[] = [];
  for (const sampler of running)
    pieces.push(
      await sampler.stop().catch((err: unknown) => {
        log(`  a sampler failed, its figures are missing: ${(err as Error).message}`);
        return {};
      }),
    );
  return pieces;
}

/** One scenario through the chosen engine, its files under the run folder; a scenario that did not run stops the run. */
async function runScenario(ctx: MeasureContext, name: string, script: string): Promise<ScenarioRun> {
  const { baseUrl } = ctx.target;
  const outDir = path.join(ctx.runDir, 'k6', name);
  const status = ctx.status ? startStatus(name, ctx.status, ctx.config.quiet) : undefined;
  const startMs = Date.now();
  const outcome = await runScript({
    ...(status ? { onProgress: (p: Progress) => status.update(p) } : {}),
    script,
    env: { ...ctx.config.env, BASE_URL: baseUrl },
    engine: ctx.config.engine,
    outDir,
    quiet: true,
    noSummary: true,
    cwd: ctx.config.root,
    httpTransport: ctx.config.httpTransport,
    processEnv: ctx.config.processEnv,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  }).finally(() => status?.close());
  const reqs = outcome.summary?.metrics.http_reqs?.values.count ?? 0;
  const failedThresholds = outcome.thresholds.filter((t) => !t.ok).length;
  ctx.log(
    `  ${name} (${outcome.engine} engine): exit ${outcome.exitCode}, ${reqs} requests in ${(outcome.durationMs / 1000).toFixed(1)} s` +
      (failedThresholds ? `, ${failedThresholds} threshold(s) crossed` : ', thresholds ok'),
  );
  if (outcome.summary === null && !ctx.signal?.aborted) {
    throw new ToolkitError(
      'SCRIPT_INVALID',
      `scenario ${name} (${script}) did not run: exit ${outcome.exitCode}${outcome.aborted ? ` (${outcome.aborted})` : ''}`,
      {
        fix: `run it alone to see the error: npm run k6 -- run ${path.relative(ctx.config.root, script)} -e BASE_URL=${baseUrl}`,
      },
    );
  }
  const span = { startMs, endMs: Date.now() };
  return { name, script, outcome, outDir, sampleFiles: outcome.ndjsonPath ? [outcome.ndjsonPath] : [], span };
}

/** Runs the scenarios one after another while the target's samplers and a real browser's page loads watch it. */
export async function measureLoad(ctx: MeasureContext): Promise<LoadMeasurements> {
  const scripts = ctx.config.scenarios.map((name) => ({
    name: path.basename(name).replace(/\.(ts|js)$/, ''),
    script: scenarioPath(ctx.config.root, name),
  }));
  ctx.log(await describeEngine({ engine: ctx.config.engine, processEnv: ctx.config.processEnv }));
  const samplerCtx = { baseUrl: ctx.target.baseUrl, runStartMs: ctx.runStartMs, log: ctx.log };
  const samplers = ctx.target.samplers.map((s) => s.start(samplerCtx));
  const failedParts: PartFailure[] = [];
  const browser = await startBrowser(ctx, failedParts);
  const runs: ScenarioRun[] = [];
  let browserSamples: BrowserLoadSample[] = [];
  let pieces: SamplerPieces[] = [];
  let interrupted: LoadMeasurements['interrupted'];
  try {
    for (const [i, { name, script }] of scripts.entries()) {
      if (ctx.signal?.aborted) {
        interrupted = { scenario: null };
        break;
      }
      ctx.log(`scenario ${i + 1}/${scripts.length}: ${name}…`);
      const run = await runScenario(ctx, name, script);
      // What a cut scenario measured is kept; the scenarios after it do not start.
      if (run.outcome.summary !== null) runs.push(run);
      if (ctx.signal?.aborted) {
        interrupted = { scenario: name };
        ctx.log(`  ${name} cut short by the signal: its measurements so far are kept`);
        break;
      }
    }
  } finally {
    const stopped =
      browser && (await guardPart('browserUnderLoad', failedParts, ctx.log, undefined, () => browser.stop()));
    browserSamples = stopped?.samples ?? [];
    pieces = await stopSamplers(samplers, ctx.log);
  }
  return { scenarios: runs, pieces, browserSamples, failedParts, ...(interrupted ? { interrupted } : {}) };
}
