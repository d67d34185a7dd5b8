/**
 * The real-k6 engine: bundles the script to plain JS, spawns `k6 run` with
 * --summary-export and --out json, streams its output, and reads both files
 * back into the same RunOutcome the built-in engine returns.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ToolkitError } from '../errors.ts';
import {
  bundleForK6,
  K6_EXIT_CODE,
  type OptionOverrides,
  type RunOutcome,
  type RunScriptOptions,
} from '../k6-core/index.ts';
import { findK6 } from './find.ts';
import { importK6Results } from './import.ts';

/** k6 CLI flags for the overrides the built-in CLI accepts too. */
export function overrideArgs(o: OptionOverrides = {}): string[] {
  const args: string[] = [];
  if (o.vus !== undefined) args.push('--vus', String(o.vus));
  if (o.duration !== undefined) args.push('--duration', o.duration);
  if (o.iterations !== undefined) args.push('--iterations', String(o.iterations));
  for (const s of o.stages ?? []) args.push('--stage', `${s.duration}:${s.target}`);
  if (o.summaryTrendStats) args.push('--summary-trend-stats', o.summaryTrendStats.join(','));
  return args;
}

/** -e flags for the entries of env that k6 would not already see in its process environment. */
function envArgs(env: Record<string, string>, processEnv: Record<string, string | undefined>): string[] {
  return Object.entries(env).flatMap(([k, v]) => (processEnv[k] === v ? [] : ['-e', `${k}=${v}`]));
}

function spawnK6(bin: string, args: string[], opts: RunScriptOptions): Promise<number> {
  const child = spawn(bin, args, {
    cwd: opts.cwd,
    env: opts.processEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8').on('data', (s: string) => opts.stdout?.write(s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => opts.stderr?.write(s));
  let killer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    // k6 stops gracefully on SIGINT (teardown, summary); a stuck one is killed.
    child.kill('SIGINT');
    killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise((resolveCode, reject) => {
    child.once('error', (err) =>
      reject(
        new ToolkitError('BINARY_MISSING', `cannot start k6 at ${bin}: ${err.message}`, {
          fix: 'check K6_BIN or your PATH',
          cause: err,
        }),
      ),
    );
    child.once('exit', (code, sig) => {
      clearTimeout(killer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Killed by a signal: SIGINT is how perfkit stops k6, so the run was aborted from outside; else k6 died.
      resolveCode(code ?? (sig === 'SIGINT' ? K6_EXIT_CODE.externalAbort : 1));
    });
  });
}

/** Which thresholds k6 itself marked crossed, keyed `metric\0source`. */
async function k6Verdicts(path: string): Promise<Map<string, boolean>> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as {
    metrics?: Record<string, { thresholds?: Record<string, boolean> }>;
  };
  const out = new Map<string, boolean>();
  for (const [name, m] of Object.entries(parsed.metrics ?? {})) {
    for (const [source, crossed] of Object.entries(m.thresholds ?? {})) out.set(`${name}\0${source}`, crossed);
  }
  return out;
}

export async function runWithK6(opts: RunScriptOptions): Promise<RunOutcome> {
  const bin = findK6(opts);
  if (!bin) {
    throw new ToolkitError('BINARY_MISSING', 'k6 was not found (K6_BIN unset and no k6 on PATH)', {
      fix: 'install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or set K6_BIN, or use --engine builtin',
    });
  }
  const cwd = opts.cwd ?? '.';
  const dir = opts.outDir ? resolve(cwd, opts.outDir) : await mkdtemp(join(tmpdir(), 'perfkit-k6-'));
  await mkdir(dir, { recursive: true });
  const bundle = await bundleForK6(resolve(cwd, opts.script), join(dir, 'script.bundle.js'));
  const summaryExport = opts.summaryExport ? resolve(cwd, opts.summaryExport) : join(dir, 'summary-export.json');
  const ndjson = opts.jsonOut ? resolve(cwd, opts.jsonOut) : join(dir, 'samples.ndjson');
  const args = [
    'run',
    '--summary-export',
    summaryExport,
    '--out',
    `json=${ndjson}`,
    ...envArgs(opts.env ?? {}, opts.processEnv ?? {}),
    ...overrideArgs(opts.options),
  ];
  if (opts.quiet) args.push('--quiet');
  if (opts.noSummary) args.push('--no-summary');
  args.push(bundle);
  const started = Date.now();
  const exitCode = await spawnK6(bin, args, opts);
  if (!existsSync(ndjson) || !existsSync(summaryExport)) {
    return {
      exitCode,
      engine: 'k6',
      summary: null,
      thresholds: [],
      timeseries: [],
      durationMs: Date.now() - started,
      aborted: `k6 exited with ${exitCode} before writing its results`,
    };
  }
  const outcome = await importK6Results({
    ndjson: [ndjson],
    summaryExport,
    summaryTrendStats: opts.options?.summaryTrendStats,
  });
  const verdicts = await k6Verdicts(summaryExport);
  outcome.thresholds = outcome.thresholds.map((t) => {
    const crossed = verdicts.get(`${t.metric}\0${t.source}`);
    return crossed === undefined ? t : { ...t, ok: !crossed };
  });
  for (const t of outcome.thresholds) {
    const entry = outcome.summary?.metrics[t.metric]?.thresholds?.[t.source];
    if (entry) entry.ok = t.ok;
  }
  let timeseriesPath: string | undefined;
  if (opts.timeseriesOut || opts.outDir) {
    timeseriesPath = opts.timeseriesOut ? resolve(cwd, opts.timeseriesOut) : join(dir, 'timeseries.json');
    await writeFile(timeseriesPath, JSON.stringify(outcome.timeseries));
  }
  return {
    ...outcome,
    exitCode,
    ndjsonPath: ndjson,
    summaryExportPath: summaryExport,
    timeseriesPath,
    aborted:
      exitCode === K6_EXIT_CODE.ok || exitCode === K6_EXIT_CODE.thresholdsFailed ? null : `k6 exited with ${exitCode}`,
  };
}
