/**
 * The k6-operator path: NDJSON of several k6 instances (1.x and 2.x alike) merged and judged on every
 * threshold of the script itself, tagged sub-metrics included. Once on the recorded fixtures
 * (test/fixtures/k6/distributed, always), and once live: real k6 run twice on the same script against a
 * loopback server with a slow route, then `loadtest --import-k6 a,b --script FILE` (skips without k6).
 * The merged p(95) must equal the p(95) over the concatenated raw samples to the histogram's precision
 * (its relative error is under 1 %).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadtest as runToolkitLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { readScriptOptions } from '../toolkit/engines.ts';
import { importK6Results } from '../toolkit/k6/index.ts';
import { validateResults } from '../toolkit/results/index.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';
import { startTarget, type Target } from './support/conformance-matrix.ts';
import { findRealK6s, HOW_TO_ENABLE_K6 } from './support/k6-bins.ts';

const ROOT = path.join(import.meta.dirname, '..');
const DIST = path.join(import.meta.dirname, 'fixtures', 'k6', 'distributed');
const SCRIPT = path.join(DIST, 'script.js');
const REAL = findRealK6s();
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-k6-import-'));
let target: Target | undefined;

beforeAll(async () => {
  if (REAL.length) target = await startTarget();
});
afterAll(() => {
  target?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** k6's percentile over raw samples: sorted, linear interpolation between ranks ⌊p·(n−1)⌋ and ⌈p·(n−1)⌉. */
function rawPercentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

/** http_req_duration values of the NDJSON files, all or only those with tag name=`name`. */
function durations(files: string[], name?: string): number[] {
  const out: number[] = [];
  for (const f of files)
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.includes('"metric":"http_req_duration"') || !line.includes('"type":"Point"')) continue;
      const p = JSON.parse(line) as { data: { value: number; tags: Record<string, string> | null } };
      if (name === undefined || p.data.tags?.name === name) out.push(p.data.value);
    }
  return out;
}

/** Merges `files` with the script's own thresholds and checks the verdicts and p(95)s against the raw samples. */
async function importAndCompare(files: string[]): Promise<void> {
  const options = await readScriptOptions({ script: SCRIPT, env: { BASE_URL: 'http://127.0.0.1:1' } });
  const merged = await importK6Results({
    ndjson: files,
    thresholds: options.thresholds as Record<string, unknown>,
    summaryTrendStats: ['p(95)'],
  });
  expect(merged.exitCode).toBe(99);
  expect(Object.fromEntries(merged.thresholds.map((t) => [`${t.metric} ${t.source}`, t.ok]))).toEqual({
    'http_req_duration p(95)<500': true,
    'http_req_duration{name:slow} p(95)<20': false,
    'checks rate>0.9': true,
  });
  for (const [metric, name] of [
    ['http_req_duration', undefined],
    ['http_req_duration{name:slow}', 'slow'],
  ] as const) {
    const raw = rawPercentile(durations(files, name), 95);
    const got = merged.summary?.metrics[metric]?.values['p(95)'] ?? NaN;
    expect(Math.abs(got - raw) / raw, `${metric}: merged ${got} vs raw ${raw}`).toBeLessThan(0.01);
  }
}

describe('import of several k6 NDJSON files (recorded)', () => {
  const expected = JSON.parse(readFileSync(path.join(DIST, 'expected.json'), 'utf8')) as {
    merged: Record<string, { files: string[]; 'http_req_duration{name:slow}.p(95)': number }>;
  };
  for (const [pair, want] of Object.entries(expected.merged)) {
    it(`${pair}: fails the tagged threshold, p(95) as over the concatenated samples`, async () => {
      const files = want.files.map((f) => path.join(DIST, f));
      await importAndCompare(files);
      expect(rawPercentile(durations(files, 'slow'), 95)).toBeCloseTo(want['http_req_duration{name:slow}.p(95)'], 6);
    });
  }
});

const run = promisify(execFile);

/** Runs real k6 once on the distributed script; returns its NDJSON file and exit code. */
async function k6Once(bin: string, name: string): Promise<{ file: string; code: number }> {
  const file = path.join(work, `${name}.ndjson`);
  const args = ['run', '-q', '--out', `json=${file}`, '-e', `BASE_URL=${target!.baseUrl}`, SCRIPT];
  const code = await run(bin, args, { env: { PATH: process.env.PATH, K6_NO_USAGE_REPORT: 'true', HOME: work } }).then(
    () => 0,
    (e: { code?: number }) => e.code ?? -1,
  );
  return { file, code };
}

describe('import of real k6 runs through loadtest --import-k6 --script', () => {
  if (REAL.length === 0) it.skip(HOW_TO_ENABLE_K6, () => {});
  const newest = REAL.at(-1);
  const pairs = newest ? [[newest, newest], ...REAL.filter((k) => k.line !== newest.line).map((k) => [k, newest])] : [];
  for (const [a, b] of pairs) {
    it(`k6 v${a!.version} + k6 v${b!.version}: the tagged threshold fails the import (budget exit 1)`, async () => {
      const runs = [await k6Once(a!.bin, `a-${a!.version}`), await k6Once(b!.bin, `b-${b!.version}-${a!.version}`)];
      expect(runs.map((r) => r.code)).toEqual([99, 99]);
      const files = runs.map((r) => r.file);
      await importAndCompare(files);
      const out: string[] = [];
      const err: string[] = [];
      const outDir = path.join(work, 'reports');
      const argv = ['--import-k6', files.join(','), '--script', SCRIPT, '--no-bundle', '--no-lighthouse'];
      const code = await runToolkitLoadtest(
        {
          argv: [...argv, '--out', outDir, '--json'],
          cwd: ROOT,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
          stdout: { write: (s: string) => out.push(s) },
          stderr: { write: (s: string) => err.push(s) },
        },
        { defaultTarget: referenceRig },
      );
      const stderr = err.join('');
      expect(code, stderr).toBe(1);
      expect(stderr).toContain('crossed: http_req_duration{name:slow} p(95)<20');
      const { runId } = JSON.parse(out.join('')) as { runId: string };
      const results = validateResults(
        JSON.parse(readFileSync(path.join(outDir, runId, 'results.json'), 'utf8')),
        'results.json',
      );
      // An import is not the reference app: the generic budget, no reference-app endpoint.
      expect(results.meta.config.budget).toBe(path.join('budgets', 'generic.json'));
      expect(stderr).not.toMatch(/not measured/);
      expect(results.api?.requests).toBe(120);
    }, 120_000);
  }
});
