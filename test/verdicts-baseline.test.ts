/**
 * Comparable baselines, on real runs against a tiny app of the test's own:
 * `--baseline latest` takes the newest run with the same identity (skipping
 * newer runs of another target or profile) and says which; with none it notes
 * so and judges no regressions; an explicit baseline of another target is
 * refused (exit 2, naming what differs) unless --baseline-any.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { ToolkitError } from '../toolkit/errors.ts';
import type { Results, Verdicts } from '../toolkit/results/index.ts';
import { captureIo, startTinyApp, writeTinyScenario, type TinyApp } from './support/tiny-app.ts';

const ROOT = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-baseline-'));
const outDir = path.join(work, 'reports');
let app: TinyApp;
let other: TinyApp;
let scenario: string;
let budget: string;

beforeAll(async () => {
  app = await startTinyApp();
  other = await startTinyApp();
  scenario = writeTinyScenario(work, 'tiny', '{ vus: 2, iterations: 30 }');
  budget = path.join(work, 'budget.json');
  writeFileSync(
    budget,
    JSON.stringify({ api: { errorRate: '<= 5%', p95: { limit: '<= 10 s', tolerance: '+1000%' } } }),
  );
});
afterAll(async () => {
  await app.close();
  await other.close();
  rmSync(work, { recursive: true, force: true });
});

const args = (target: string, ...more: string[]): string[] => [
  ...['--target', target, '--scenario', scenario, '--budget', budget, '--engine', 'builtin'],
  ...['--no-lighthouse', '--no-browser-under-load', '--no-bundle', '--out', outDir, '--json', ...more],
];

async function run(argv: string[]): Promise<{ code: number; runDir: string; stderr: string }> {
  const cli = captureIo(argv, ROOT);
  const code = await runLoadtest(cli.io);
  const { runId } = JSON.parse(cli.stdout()) as { runId: string };
  return { code, runDir: path.join(outDir, runId), stderr: cli.stderr() };
}

const read = <T>(dir: string, file: string): T => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;

describe('comparable baselines', () => {
  it('latest skips other targets and profiles, says which run it took; an explicit other target is refused', async () => {
    // No earlier run: a note, no regression checks, not a failure.
    const first = await run(args(app.baseUrl, '--baseline', 'latest'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/baseline: no comparable complete run in .*; no regression checks/);
    const firstResults = read<Results>(first.runDir, 'results.json');
    expect(firstResults.meta.status).toBe('complete');
    expect(firstResults.meta.identity).toMatchObject({
      target: app.baseUrl,
      profile: 'default',
      engine: 'builtin',
      httpTransport: 'auto',
      lighthousePresets: [],
      scenarios: [{ name: 'tiny', optionsHash: expect.stringMatching(/^[0-9a-f]{16}$/) }],
    });
    expect(read<Verdicts>(first.runDir, 'verdicts.json').verdicts.filter((v) => v.check === 'regression')).toEqual([]);

    // Newer runs of another target and of another profile.
    const otherTarget = await run(args(other.baseUrl));
    expect(otherTarget.code, otherTarget.stderr).toBe(0);
    const ciProfile = await run(args(app.baseUrl, '--ci'));
    expect(ciProfile.code, ciProfile.stderr).toBe(0);
    expect(read<Results>(ciProfile.runDir, 'results.json').meta.identity?.profile).toBe('ci');

    const latest = await run(args(app.baseUrl, '--baseline', 'latest'));
    expect(latest.code, latest.stderr).toBe(0);
    const firstFile = path.join(first.runDir, 'results.json'); // outside the project: shown absolute
    expect(latest.stderr).toContain(
      `baseline: ${firstFile} (newest comparable complete run, 2 newer run(s) not comparable skipped)`,
    );
    const verdicts = read<Verdicts>(latest.runDir, 'verdicts.json');
    expect(verdicts.baseline).toBe(firstFile);
    expect(verdicts.verdicts.some((v) => v.check === 'regression')).toBe(true);

    // An explicit baseline of another target: refused before anything is measured, naming the difference.
    const before = readdirSync(outDir).length;
    const otherFile = path.join(otherTarget.runDir, 'results.json');
    const refused = captureIo(args(app.baseUrl, '--baseline', otherFile), ROOT);
    const err = await runLoadtest(refused.io).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ToolkitError);
    expect((err as ToolkitError).code).toBe('BASELINE_NOT_COMPARABLE');
    expect((err as ToolkitError).exitCode).toBe(2);
    expect((err as ToolkitError).message).toContain(`target: ${app.baseUrl} vs ${other.baseUrl}`);
    expect((err as ToolkitError).fix).toMatch(/--baseline-any/);
    expect(readdirSync(outDir).length).toBe(before);
    const ciFile = path.join(ciProfile.runDir, 'results.json');
    await expect(runLoadtest(captureIo(args(app.baseUrl, '--baseline', ciFile), ROOT).io)).rejects.toThrow(
      /profile: default vs ci/,
    );

    // --baseline-any compares all the same, and says it is not comparable.
    const any = await run(args(app.baseUrl, '--baseline', otherFile, '--baseline-any'));
    expect(any.code, any.stderr).toBe(0);
    expect(any.stderr).toMatch(/not comparable, --baseline-any: target: /);
    expect(read<Verdicts>(any.runDir, 'verdicts.json').verdicts.some((v) => v.check === 'regression')).toBe(true);
  }, 180_000);
});
