/**
 * Interrupted runs, as a real process: `npm run loadtest`'s entry point against
 * a tiny app of the test's own, stopped by SIGINT in the middle of its first
 * scenario (and by SIGTERM in its second). What was measured is kept with
 * status interrupted and the scenario cut, the verdicts are `interrupted`,
 * the exit code is 130 (143), and `--baseline latest` never takes such a run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { latestComparable } from '../toolkit/loadtest/baseline.ts';
import type { Results, Verdicts } from '../toolkit/results/index.ts';
import { captureIo, startTinyApp, writeTinyScenario, type TinyApp } from './support/tiny-app.ts';

const ROOT = path.join(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-interrupt-'));
const outDir = path.join(work, 'reports');
let app: TinyApp;
let long: string;
let short: string;
let budget: string;

beforeAll(async () => {
  app = await startTinyApp();
  app.setDelay(5);
  short = writeTinyScenario(work, 'first', "{ vus: 2, duration: '2s' }");
  long = writeTinyScenario(work, 'long', "{ vus: 2, duration: '60s' }");
  budget = path.join(work, 'budget.json');
  writeFileSync(budget, JSON.stringify({ api: { errorRate: '<= 5%', p95: { limit: '<= 10 s', tolerance: '+50%' } } }));
});
afterAll(async () => {
  await app.close();
  rmSync(work, { recursive: true, force: true });
});

const args = (scenarios: string[]): string[] => [
  ...['--target', app.baseUrl, '--scenario', scenarios.join(','), '--budget', budget, '--engine', 'builtin'],
  ...['--no-lighthouse', '--no-browser-under-load', '--no-bundle', '--out', outDir],
];

/** Runs the entry point, sends `signal` once `after` appears on stderr (plus a second), resolves with its exit. */
function runAndStop(
  argv: string[],
  after: RegExp,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(TSX, ['scripts/loadtest.ts', ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && after.test(stderr)) {
      sent = true;
      setTimeout(() => child.kill(signal), 1500);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

const runDirs = (): string[] => readdirSync(outDir).filter((d) => !d.startsWith('.') && d !== 'index.html');
const read = <T>(dir: string, file: string): T => JSON.parse(readFileSync(path.join(outDir, dir, file), 'utf8')) as T;

describe('interrupted runs', () => {
  it('SIGINT mid-scenario: exit 130, results kept as interrupted, never a baseline', async () => {
    const { code, stderr } = await runAndStop(args([long, short]), /scenario 1\/2: long/, 'SIGINT');
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/INTERRUPTED by SIGINT during scenario long/);
    const [id] = runDirs();
    if (!id) throw new Error(`no run folder: ${stderr}`);
    const results = read<Results>(id, 'results.json');
    expect(results.meta.status).toBe('interrupted');
    expect(results.meta.interruption).toEqual({ signal: 'SIGINT', scenario: 'long', stage: 'scenarios' });
    expect(results.meta.scenarios).toEqual(['long']);
    expect(results.api?.requests ?? 0).toBeGreaterThan(0);
    const verdicts = read<Verdicts>(id, 'verdicts.json');
    expect(verdicts.outcome).toBe('interrupted');
    expect(readFileSync(path.join(outDir, id, 'index.html'), 'utf8')).toContain('INTERRUPTED');
    expect(readFileSync(path.join(outDir, id, 'summary.md'), 'utf8')).toContain('INTERRUPTED');

    // SIGTERM during the second scenario: 143, and the first scenario's figures are there.
    const term = await runAndStop(args([short, long]), /scenario 2\/2: long/, 'SIGTERM');
    expect(term.code, term.stderr).toBe(143);
    const second = runDirs().find((d) => d !== id);
    if (!second) throw new Error(`no second run folder: ${term.stderr}`);
    const termResults = read<Results>(second, 'results.json');
    expect(termResults.meta.interruption).toEqual({ signal: 'SIGTERM', scenario: 'long', stage: 'scenarios' });
    expect(termResults.meta.scenarios).toEqual(['first', 'long']);

    // --baseline latest passes over both (the same identity, but interrupted); an explicit one is refused.
    const identity = results.meta.identity;
    if (!identity) throw new Error('no identity recorded');
    expect(latestComparable(outDir, 'none', identity, ROOT)).toEqual({ skipped: 2 });
    const complete = captureIo([...args([short]), '--baseline', 'latest'], ROOT);
    expect(await runLoadtest(complete.io), complete.stderr()).toBe(0);
    expect(complete.stderr()).toMatch(/baseline: no comparable complete run in .* \(2 other run\(s\) skipped\)/);
    const same = captureIo([...args([long, short]), '--baseline', path.join(outDir, id, 'results.json')], ROOT);
    await expect(runLoadtest(same.io)).rejects.toThrow(/status: the baseline run was interrupted/);
  }, 240_000);
});
