/**
 * The scale half of scripts/bench/runner.ts: many idle VUs (an http.get then sleep(1) per
 * iteration), each engine in a child process of its own, its peak RSS polled from /proc every
 * 200 ms (every thread of the process counts), its iterations read from its summary export.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findK6 } from '../../toolkit/k6/index.ts';
import { COMPILED_DIR, ensureCompiledK6 } from '../../test/support/compiled-k6.ts';

const CHECKOUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Real k6: K6_BIN or k6 on PATH, else the newest k6-v* in ../shared/tools/k6/ beside the checkout. */
export function benchK6(env: Record<string, string | undefined>): string | null {
  const found = findK6({ processEnv: env });
  if (found) return found;
  const dir = join(CHECKOUT, '..', 'shared', 'tools', 'k6');
  if (!existsSync(dir)) return null;
  const bins = readdirSync(dir)
    .filter((f) => /^k6-v\d/.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return bins.length ? join(dir, bins.at(-1)!) : null;
}

/** RSS of a process now, MB (0 once it is gone). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export interface ScaleFigures {
  peakRssMb: number;
  iterations: number;
  /** Iterations per second of the test's planned duration. */
  iterationsPerS: number;
  exitCode: number | null;
}

/** One run of `vus` VUs for `seconds` with an engine's k6-style command line. */
export async function scaleRun(
  command: string[],
  script: string,
  url: string,
  vus: number,
  seconds: number,
): Promise<ScaleFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'perfkit-bench-scale-'));
  const exportFile = join(dir, 'summary.json');
  const args = ['run', '-q', '--vus', String(vus), '--duration', `${seconds}s`, '--summary-export', exportFile];
  const child = spawn(command[0]!, [...command.slice(1), ...args, '-e', `URL=${url}`, script], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
  });
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 200);
  // Bounded: the planned duration, VU start-up and the summary, then the run is ended.
  const guard = setTimeout(() => child.kill('SIGKILL'), (seconds + 120) * 1000);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(poll);
  clearTimeout(guard);
  try {
    const summary = JSON.parse(await readFile(exportFile, 'utf8')) as { metrics: Record<string, { count?: number }> };
    const iterations = summary.metrics.iterations?.count ?? 0;
    return { peakRssMb: Math.round(peak), iterations, iterationsPerS: Math.round(iterations / seconds), exitCode };
  } catch {
    return { peakRssMb: Math.round(peak), iterations: 0, iterationsPerS: 0, exitCode };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The built-in engine's k6-style command line, on a VU model, as an installed package runs it: the
 * compiled CLI (scripts/build-lib.ts into .tmp/k6-lib/, rebuilt whenever a source changed, as the
 * conformance matrix uses it: test/support/compiled-k6.ts).
 */
export function compiledCommand(vuModel: 'isolate' | 'shared', log: (s: string) => void = () => undefined): string[] {
  const ms = ensureCompiledK6();
  if (ms > 0) log(`compiled the runner into ${COMPILED_DIR} (${(ms / 1000).toFixed(1)} s)`);
  return [process.execPath, join(COMPILED_DIR, 'bin', 'perfkit-k6.js'), '--vu-model', vuModel];
}

/** The same from the TypeScript sources through tsx (what `npm run k6` runs in a checkout). */
export const builtinCommand = (vuModel: 'isolate' | 'shared'): string[] => [
  process.execPath,
  '--import',
  'tsx',
  join(CHECKOUT, 'scripts', 'k6.ts'),
  '--vu-model',
  vuModel,
];
