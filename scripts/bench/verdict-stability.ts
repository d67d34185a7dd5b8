#!/usr/bin/env -S npx tsx
/**
 * Verdict stability: runs `npm run loadtest -- --ci` N times on an unchanged
 * build and reports whether the verdict holds. With `--busy K` it keeps K cores
 * busy with competing processes for the whole of each run, as a shared CI
 * runner would. Ends with one JSON line: every run's verdict, how many agree
 * with the majority, the spread of the Lighthouse median performance score and
 * of API p95, and which runs said their machine was saturated.
 *
 *   npx tsx scripts/bench/verdict-stability.ts [--runs 10] [--busy 0] [--out DIR] [-- extra loadtest flags]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { main, type CliIo } from '../../toolkit/cli/io.ts';
import { usageError } from '../../toolkit/errors.ts';
import type { Results, Verdicts } from '../../toolkit/results/index.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** One loadtest run as the bench saw it. */
interface RunOutcome {
  runId: string | null;
  exitCode: number | null;
  outcome: string;
  inconclusive: number;
  lighthousePerformance: number | null;
  apiP95: number | null;
  measurementWarnings: number;
}

const spread = (values: Array<number | null>) => {
  const v = values.filter((x): x is number => x !== null);
  if (v.length === 0) return null;
  const min = Math.min(...v);
  const max = Math.max(...v);
  return { min, max, range: max - min, n: v.length };
};

/** A competing process: one core spinning until killed. */
function busyCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

function readRun(outDir: string, runId: string | null): Omit<RunOutcome, 'runId' | 'exitCode' | 'outcome'> {
  const dir = runId ? path.join(outDir, runId) : '';
  const none = { inconclusive: 0, lighthousePerformance: null, apiP95: null, measurementWarnings: 0 };
  if (!runId || !existsSync(path.join(dir, 'results.json'))) return none;
  const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results & {
    measurementWarnings?: unknown[];
  };
  const verdicts = existsSync(path.join(dir, 'verdicts.json'))
    ? (JSON.parse(readFileSync(path.join(dir, 'verdicts.json'), 'utf8')) as Verdicts)
    : undefined;
  const cold = results.frontend?.lighthouse.find((l) => l.mode === 'cold') ?? results.frontend?.lighthouse[0];
  return {
    inconclusive: verdicts?.verdicts.filter((v) => v.inconclusive).length ?? 0,
    lighthousePerformance: cold?.scores.performance ?? null,
    apiP95: results.api?.latency?.p95 ?? null,
    measurementWarnings: results.measurementWarnings?.length ?? 0,
  };
}

/** One `loadtest --ci` run (K cores kept busy meanwhile); its stderr goes to ours, prefixed. */
async function runOnce(io: CliIo, i: number, busy: number, outDir: string, extra: string[]): Promise<RunOutcome> {
  const hogs = Array.from({ length: busy }, busyCore);
  try {
    const child = spawn(TSX, ['scripts/loadtest.ts', '--ci', '--json', '--out', outDir, ...extra], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: io.env,
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) io.stderr.write(`[run ${i}] ${line}\n`);
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const summary = /\{.*"runId".*\}/.exec(stdout)?.[0];
    const parsed = summary ? (JSON.parse(summary) as { runId: string; outcome: string }) : undefined;
    const runId = parsed?.runId ?? null;
    return { runId, exitCode, outcome: parsed?.outcome ?? `error (exit ${exitCode})`, ...readRun(outDir, runId) };
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
  }
}

/** The bench: N runs, then one JSON line. */
export async function runVerdictStability(io: CliIo): Promise<number> {
  const dash = io.argv.indexOf('--');
  const own = dash >= 0 ? io.argv.slice(0, dash) : io.argv;
  const extra = dash >= 0 ? io.argv.slice(dash + 1) : [];
  const { values } = parseArgs({
    args: own,
    options: { runs: { type: 'string' }, busy: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  const runs = Number(values.runs ?? 10);
  const busy = Number(values.busy ?? 0);
  if (!Number.isInteger(runs) || runs < 1) throw usageError(`--runs ${values.runs}: expected a whole number >= 1`);
  if (!Number.isInteger(busy) || busy < 0) throw usageError(`--busy ${values.busy}: expected a whole number >= 0`);
  const outDir = path.resolve(io.cwd, values.out ?? mkdtempSync(path.join(tmpdir(), 'perfkit-verdict-stability-')));
  const outcomes: RunOutcome[] = [];
  for (let i = 1; i <= runs; i++) {
    if (io.signal?.aborted) break;
    io.stderr.write(`verdict stability: run ${i}/${runs}${busy ? ` with ${busy} core(s) kept busy` : ''}\n`);
    outcomes.push(await runOnce(io, i, busy, outDir, extra));
  }
  const tally = new Map<string, number>();
  for (const o of outcomes) tally.set(o.outcome, (tally.get(o.outcome) ?? 0) + 1);
  const [majority, agree] = [...tally].sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
  // pass and warn both let the gate through; a split means some runs passed the gate and others failed it.
  const gate = (o: string): string => (o === 'pass' || o === 'warn' ? 'open' : o === 'fail' ? 'closed' : 'other');
  const gates = new Set(outcomes.map((o) => gate(o.outcome)).filter((g) => g !== 'other'));
  io.stdout.write(
    JSON.stringify({
      bench: 'verdict-stability',
      runs: outcomes.length,
      busyCores: busy,
      verdicts: outcomes.map((o) => o.outcome),
      exitCodes: outcomes.map((o) => o.exitCode),
      majority,
      agreeWithMajority: agree,
      splitPassFail: gates.size > 1,
      inconclusiveVerdicts: outcomes.map((o) => o.inconclusive),
      lighthouseMedianPerformance: spread(outcomes.map((o) => o.lighthousePerformance)),
      apiP95Ms: spread(outcomes.map((o) => o.apiP95)),
      runsWithMeasurementWarnings: outcomes.filter((o) => o.measurementWarnings > 0).length,
      reports: outDir,
    }) + '\n',
  );
  return 0;
}

await main(runVerdictStability);
