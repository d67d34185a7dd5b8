/**
 * `npm run loadtest` end to end, in-process: its own private stack, the
 * reference app, a real scenario through the built-in runner, budgets and the
 * report. One run with a tightened budget must exit 1 and name the failing
 * line; the saved results must then pass a lenient budget on their own.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLoadtest as runToolkitLoadtest } from '../toolkit/cli/loadtest/command.ts';
import type { CliIo } from '../toolkit/cli/io.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';
import { runBudgets } from '../toolkit/budgets/index.ts';
import { validateResults } from '../toolkit/results/index.ts';

const ROOT = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-loadtest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** As scripts/loadtest.ts composes it: the reference rig is the default target. */
const runLoadtest = (io: CliIo): Promise<number> => runToolkitLoadtest(io, { defaultTarget: referenceRig });

function io(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      argv,
      cwd: ROOT,
      // The pipeline must start its own stack, not reuse the test run's (which these URLs would select).
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    },
  };
}

describe('npm run loadtest', () => {
  it('runs the pipeline, exits 1 on a tightened budget naming the line, and leaves a report that re-judges alone', async () => {
    const tight = path.join(work, 'tight.json');
    writeFileSync(tight, JSON.stringify({ api: { endpoints: { dashboard: { p95: '<= 1 ms' } } } }));
    const outDir = path.join(work, 'reports');
    const run = io([
      '--ci',
      '--scenario',
      'smoke',
      '--no-lighthouse',
      '--no-browser-under-load',
      '--instances',
      '1',
      '--budget',
      tight,
      '--out',
      outDir,
      '--json',
    ]);
    const code = await runLoadtest(run.io);
    const stderr = run.err.join('');
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/tight\.json#\/api\/endpoints\/dashboard\/p95: expected <= 1 ms, found [\d.]+ ms/);
    const summary = JSON.parse(run.out.join('')) as { runId: string; outcome: string; report: string };
    expect(summary.outcome).toBe('fail');
    const runDir = path.join(outDir, summary.runId);
    for (const f of ['index.html', 'results.json', 'verdicts.json', 'junit.xml', 'summary.md'])
      expect(existsSync(path.join(runDir, f)), f).toBe(true);
    const results = validateResults(
      JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')),
      'results.json',
    );
    expect(results.api?.requests).toBeGreaterThan(10);
    expect(results.api?.endpoints.map((e) => e.name)).toContain('dashboard');
    expect(results.database?.connectionCount).toBeGreaterThan(0);
    // The run's own statements (the seed's were reset away, so a smoke run may have no slow one at all).
    expect(results.database?.queries?.length).toBeGreaterThan(0);
    // The rig's per-run token gets the sampler the SQL text the public view of /api/performance hides.
    expect(results.database?.slowQueries.filter((q) => q.startsWith('hidden:'))).toEqual([]);
    expect(results.bundle?.initialJs.gzip ?? 0).toBeGreaterThan(0);
    expect(results.resources?.some((r) => r.name === 'postgres-primary' && r.samples.length > 0)).toBe(true);
    expect(readFileSync(path.join(runDir, 'junit.xml'), 'utf8')).toContain('<failure');
    // No private stack of this run is left behind.
    expect(readdirSync(path.join(ROOT, '.stack')).filter((d) => d.startsWith(`loadtest-${process.pid}`))).toEqual([]);

    // The same samples as if two k6-operator runners had written them: imported, merged, judged and reported alike.
    const lines = readFileSync(path.join(runDir, 'k6', 'smoke', 'samples.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const parts = [path.join(work, 'runner-0.ndjson'), path.join(work, 'runner-1.ndjson')];
    let n = 0;
    const split: [string[], string[]] = [[], []];
    for (const line of lines) {
      if (line.includes('"type":"Metric"')) split.forEach((p) => p.push(line));
      else split[n++ % 2]?.push(line);
    }
    parts.forEach((file, i) => writeFileSync(file, (split[i] ?? []).join('\n') + '\n'));
    const imported = io(['--import-k6', parts.join(','), '--budget', tight, '--out', outDir, '--json']);
    expect(await runLoadtest(imported.io), imported.err.join('')).toBe(1);
    const importedRun = JSON.parse(imported.out.join('')) as { runId: string };
    const importedResults = validateResults(
      JSON.parse(readFileSync(path.join(outDir, importedRun.runId, 'results.json'), 'utf8')),
      'results.json',
    );
    expect(importedResults.meta.engine).toBe('k6');
    expect(importedResults.api?.requests).toBe(results.api?.requests);
    expect(importedResults.api?.endpoints.find((e) => e.name === 'dashboard')?.count).toBe(
      results.api?.endpoints.find((e) => e.name === 'dashboard')?.count,
    );

    const lenient = path.join(work, 'lenient.json');
    writeFileSync(
      lenient,
      JSON.stringify({ api: { endpoints: { dashboard: { p95: '<= 60 s' } }, errorRate: '<= 5%' } }),
    );
    const judge = io(['check', '--results', path.join(runDir, 'results.json'), '--budget', lenient, '--no-write']);
    expect(await runBudgets(judge.io), judge.err.join('')).toBe(0);
  }, 240_000);

  it('refuses a non-loopback target before doing anything', async () => {
    const run = io(['--target', 'http://93.184.216.34/', '--out', path.join(work, 'none')]);
    await expect(runLoadtest(run.io)).rejects.toThrow(/not a loopback address/);
    expect(existsSync(path.join(work, 'none'))).toBe(false);
  });

  it('rejects an unknown flag with a usage error', async () => {
    await expect(runLoadtest(io(['--frobnicate']).io)).rejects.toThrow(/frobnicate/);
  });
});
