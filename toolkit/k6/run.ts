/**
 * The real-k6 engine: bundles the script to plain JS, spawns `k6 run` with --summary-export and
 * --out json whatever the user's summary settings, streams k6's output, and reads both files back into
 * the same RunOutcome the built-in engine returns. Drives k6 1.x and 2.x (version.ts); never passes a flag
 * one of them lacks (--no-summary is gone in 2.x and made 1.x skip the export: perfkit's noSummary is
 * done here, by not printing k6's summary).
 */
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
import { k6ScriptThresholds } from './inspect.ts';
import { exitMeaning, runK6Process } from './process.ts';
import { k6Version, type K6Version } from './version.ts';

/** k6 CLI flags for the overrides the built-in CLI accepts too. */
export function overrideArgs(o: OptionOverrides = {}): string[] {
  const args: string[] = [];
  if (o.vus !== undefined) args.push('--vus', String(o.vus));
  if (o.duration !== undefined) args.push('--duration', o.duration);
  if (o.iterations !== undefined) args.push('--iterations', String(o.iterations));
  for (const s of o.stages ?? []) args.push('--stage', `${s.duration}:${s.target}`);
  if (o.summaryTrendStats) args.push('--summary-trend-stats', o.summaryTrendStats.join(','));
  if (o.userAgent !== undefined) args.push('--user-agent', o.userAgent);
  return args;
}

/** -e flags for the entries of env that k6 would not already see in its process environment. */
function envArgs(env: Record<string, string>, processEnv: Record<string, string | undefined>): string[] {
  return Object.entries(env).flatMap(([k, v]) => (processEnv[k] === v ? [] : ['-e', `${k}=${v}`]));
}

/** The `k6 run` command line for this version: the files perfkit reads always asked for. */
export function k6RunArgs(
  v: Pick<K6Version, 'major'>,
  opts: RunScriptOptions,
  files: { summaryExport: string; ndjson: string; bundle: string },
): string[] {
  const args = ['run'];
  // k6 1.x opens a REST API on localhost:6565 by default (a second k6 warns that the port is taken).
  if (v.major < 2) args.push('--address', '127.0.0.1:0');
  args.push('--summary-export', files.summaryExport, '--out', `json=${files.ndjson}`);
  args.push(...envArgs(opts.env ?? {}, opts.processEnv ?? {}), ...overrideArgs(opts.options));
  // k6 writes no --summary-export under --summary-mode=disabled: the outcome is then read from the NDJSON.
  if (opts.summaryMode) args.push('--summary-mode', opts.summaryMode);
  if (opts.quiet && !opts.onProgress) args.push('--quiet');
  args.push(files.bundle);
  return args;
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

function notFound(opts: RunScriptOptions): ToolkitError {
  const explicit = opts.k6Bin ?? opts.processEnv?.K6_BIN;
  return new ToolkitError(
    'BINARY_MISSING',
    explicit ? `k6 at ${explicit} is not an executable file` : 'k6 was not found (K6_BIN unset and no k6 on PATH)',
    {
      fix: 'install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or set K6_BIN, or use --engine builtin',
    },
  );
}

export async function runWithK6(opts: RunScriptOptions): Promise<RunOutcome> {
  const bin = findK6(opts);
  if (!bin) throw notFound(opts);
  const version = await k6Version(bin, opts.processEnv ?? {});
  if (version.untested)
    opts.stderr?.write(`perfkit: k6 v${version.version} is newer than the tested k6 1.x and 2.x; trying it\n`);
  const cwd = opts.cwd ?? '.';
  const dir = opts.outDir ? resolve(cwd, opts.outDir) : await mkdtemp(join(tmpdir(), 'perfkit-k6-'));
  await mkdir(dir, { recursive: true });
  const bundle = await bundleForK6(resolve(cwd, opts.script), join(dir, 'script.bundle.js'));
  const summaryExport = opts.summaryExport ? resolve(cwd, opts.summaryExport) : join(dir, 'summary-export.json');
  const ndjson = opts.jsonOut ? resolve(cwd, opts.jsonOut) : join(dir, 'samples.ndjson');
  const args = k6RunArgs(version, opts, { summaryExport, ndjson, bundle });
  const forward = opts.noSummary ? (opts.quiet ? 'none' : 'progress') : 'all';
  const started = Date.now();
  const proc = await runK6Process(bin, args, dir, opts, forward);
  const { exitCode } = proc;
  const base = { exitCode, engine: 'k6' as const, engineVersion: version.version };
  if (!existsSync(ndjson)) {
    const last = proc.stderrTail.filter((l) => l.trim()).at(-1);
    return {
      ...base,
      summary: null,
      thresholds: [],
      timeseries: [],
      durationMs: Date.now() - started,
      aborted: `k6 exited with ${exitCode} (${exitMeaning(exitCode)}) before the test started${last ? `: ${last}` : ''}`,
    };
  }
  const hasExport = existsSync(summaryExport);
  const outcome = await importK6Results({
    ndjson: [ndjson],
    ...(hasExport
      ? { summaryExport }
      : { thresholds: await k6ScriptThresholds(bin, bundle, cwd, opts.processEnv ?? {}, envArgs(opts.env ?? {}, {})) }),
    summaryTrendStats: opts.options?.summaryTrendStats,
  });
  if (hasExport) {
    const verdicts = await k6Verdicts(summaryExport);
    outcome.thresholds = outcome.thresholds.map((t) => {
      const crossed = verdicts.get(`${t.metric}\0${t.source}`);
      return crossed === undefined ? t : { ...t, ok: !crossed };
    });
    for (const t of outcome.thresholds) {
      const entry = outcome.summary?.metrics[t.metric]?.thresholds?.[t.source];
      if (entry) entry.ok = t.ok;
    }
  }
  let timeseriesPath: string | undefined;
  if (opts.timeseriesOut || opts.outDir) {
    timeseriesPath = opts.timeseriesOut ? resolve(cwd, opts.timeseriesOut) : join(dir, 'timeseries.json');
    await writeFile(timeseriesPath, JSON.stringify(outcome.timeseries));
  }
  const finished = exitCode === K6_EXIT_CODE.ok || exitCode === K6_EXIT_CODE.thresholdsFailed;
  return {
    ...outcome,
    ...base,
    ndjsonPath: ndjson,
    ...(hasExport ? { summaryExportPath: summaryExport } : {}),
    timeseriesPath,
    aborted: finished ? null : `k6 exited with ${exitCode} (${exitMeaning(exitCode)})`,
  };
}
