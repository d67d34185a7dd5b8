/**
 * The k6 conformance matrix: every case of test/fixtures/k6/conformance (expected.json: c01–c11,
 * expected-differences.json: c12–c38) under every engine at hand, each run once against the cases' own
 * loopback target through a k6-style command line, exactly as the recorder ran real k6:
 *   - `builtin`: the built-in runner as scripts/k6.ts runs it, compiled once into .tmp/k6-lib/ whenever its
 *     sources changed (test/support/compiled-k6.ts); it follows k6 2.2 where the versions differ.
 *     Cases listed in builtin-pending.json (case → reason) are todo for this column only.
 *   - `k6 vX.Y.Z`: each real k6 found (K6_BIN, PERFKIT_K6_BINS, k6 on PATH, ../shared/tools/k6/k6-v*
 *     beside the checkout), held to the recordings of its own line (by_version["1.3"|"2.2"]).
 * Counts, checks, threshold verdicts, exit codes, logs, setup_data, NDJSON vus points and summary lines
 * are exact unless test/support/conformance-rules.ts states a tolerance for that case (time- or
 * speed-dependent values: c06, c07, c08, c10, c13, c14, c16, c19@vus2, c19@vus2-duration1s, c20, c24, c28,
 * c38; on an overloaded machine every range widens).
 * Run time: cases run 5 at a time; the slowest are c35@no-signal (15 s under k6, up to the 60 s init limit
 * under the built-in runner), c38@teardown (k6 waits ~19 s for teardown after SIGINT), c06 and the
 * other signal cases (2–4 s each). About 2 minutes for three columns on 2 cores.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type RunOutcome } from '../toolkit/engines.ts';
import { validateSummaryShape } from '../toolkit/k6-core/index.ts';
import { ensureCompiledK6 } from './support/compiled-k6.ts';
import { CONFORMANCE_DIR } from './support/conformance.ts';
import {
  builtinEngine,
  builtinPending,
  compareFacts,
  expectationFor,
  loadCases,
  realK6Engine,
  recordedLines,
  runCase,
  startTarget,
  type Engine,
  type Entry,
  type Target,
} from './support/conformance-matrix.ts';
import { ruleFor } from './support/conformance-rules.ts';
import { findRealK6s, HOW_TO_ENABLE_K6, type RealK6 } from './support/k6-bins.ts';

const CASES = loadCases();
const PENDING = builtinPending();
const REAL_K6 = findRealK6s();

let target: Target;
beforeAll(async () => {
  const builtMs = ensureCompiledK6();
  if (builtMs > 0)
    process.stderr.write(`conformance: compiled the built-in runner in ${(builtMs / 1000).toFixed(1)} s\n`);
  target = await startTarget();
});
afterAll(() => target?.stop());

/** The recorded line a real k6 is held to: its own, else the newest recorded one of its major version. */
function lineFor(k6: RealK6, lines: string[]): string | null {
  if (lines.includes(k6.line)) return k6.line;
  const major = k6.line.split('.')[0];
  return (
    lines
      .filter((l) => l.split('.')[0] === major)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .at(-1) ?? null
  );
}

function timeoutMs(name: string, entry: Entry, engine: Engine): number {
  const s = ruleFor(name, engine).timeoutS ?? entry.run?.timeoutS ?? 90;
  return (s + 30) * 1000;
}

function column(engine: Engine, pending: Record<string, string>): void {
  describe.concurrent(engine.label, () => {
    for (const [name, entry] of CASES) {
      const reason = pending[name];
      if (reason) {
        it.todo(`${name} (pending: ${reason})`);
        continue;
      }
      it(
        name,
        async () => {
          const { facts, stderr } = await runCase(engine, name, entry, target);
          const problems = compareFacts(name, engine, expectationFor(entry, engine.line), facts);
          expect(problems, `${engine.label} ${name}\nstderr (end):\n${stderr.slice(-1500)}`).toEqual([]);
        },
        timeoutMs(name, entry, engine),
      );
    }
  });
}

describe('k6 conformance matrix', () => {
  column(builtinEngine(), PENDING);
  if (REAL_K6.length === 0) {
    describe('real k6', () => it.skip(HOW_TO_ENABLE_K6, () => {}));
  }
  const lines = [...new Set(CASES.flatMap(([, e]) => recordedLines(e)))];
  for (const k6 of REAL_K6) {
    const line = lineFor(k6, lines);
    if (!line) {
      describe(`k6 v${k6.version}`, () => it.skip(`no recordings for k6 ${k6.line} (recorded: ${lines.join(', ')})`));
      continue;
    }
    column(realK6Engine(k6.bin, k6.version, line), {});
  }
});

/** In-process runs of the built-in runner for what the command line does not show. */
async function runInProcess(name: string): Promise<{ out: RunOutcome; stderr: string }> {
  let stderr = '';
  const out = await runScript({
    script: join(CONFORMANCE_DIR, `${name}.js`),
    env: { BASE_URL: target.baseUrl },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'] },
    quiet: true,
    processEnv: process.env,
    stdout: { write: () => undefined },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { out, stderr };
}

describe('built-in runner: handleSummary data and logs', () => {
  it('gives handleSummary data of k6 shape for c01, c03 and c11', async () => {
    for (const name of ['c01-checks-groups', 'c03-thresholds-mixed', 'c11-batch-cookies']) {
      const { out } = await runInProcess(name);
      expect(validateSummaryShape(out.summary!), name).toEqual([]);
    }
  });

  it('c02 logs each exception with its stack at error level and keeps going', async () => {
    const { stderr } = await runInProcess('c02-exceptions');
    const lines = stderr.split('\n').filter((l) => l.includes('level=error'));
    expect(lines).toHaveLength(4);
    // Two VUs log concurrently: find each line rather than rely on order.
    expect(lines.find((l) => l.includes('boom 1'))).toMatch(
      /msg="Error: boom 1\\n\\tat default \(file:\/\/\/.*c02-exceptions\.js:11:\d+\)\\n"/,
    );
    expect(lines.filter((l) => /failed [27]/.test(l))).toHaveLength(2);
    expect(lines.every((l) => l.includes('scenario=s') && l.includes('source=stacktrace'))).toBe(true);
  });

  it('c06 aborts early on abortOnFail (after the 1 s delay, well before the 30 s duration)', async () => {
    const { out } = await runInProcess('c06-abort-on-fail');
    expect(out.exitCode).toBe(99);
    expect(out.durationMs).toBeGreaterThanOrEqual(1000);
    expect(out.durationMs).toBeLessThan(5000);
    expect(out.aborted).toMatch(/threshold/);
  });
});
