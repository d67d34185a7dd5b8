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

describe('significant regressions', () => {
  it('a clearly slower build of one endpoint is a significant regression, a rerun of the same build is not', async () => {
    const dir = path.join(work, 'significance');
    const sig = path.join(work, 'significance.json');
    writeFileSync(
      sig,
      JSON.stringify({
        regressions: { level: 'error' },
        api: {
          endpoints: {
            items: { p95: { limit: '<= 10 s', tolerance: '+20%' }, p50: { limit: '<= 10 s', tolerance: '+20%' } },
          },
        },
      }),
    );
    const paced = writeTinyScenario(work, 'paced', '{ vus: 4, iterations: 200 }');
    const runArgs = (...more: string[]): string[] => [
      ...['--target', app.baseUrl, '--scenario', paced, '--budget', sig, '--engine', 'builtin'],
      ...['--no-lighthouse', '--no-browser-under-load', '--no-bundle', '--out', dir, '--json', ...more],
    ];
    const judged = async (argv: string[]) => {
      const cli = captureIo(argv, ROOT);
      const code = await runLoadtest(cli.io);
      const { runId } = JSON.parse(cli.stdout()) as { runId: string };
      const runDir = path.join(dir, runId);
      return { code, runDir, stderr: cli.stderr(), verdicts: read<Verdicts>(runDir, 'verdicts.json') };
    };
    // The app's own time dominates what a busy machine adds to each request (16 ms on a saturated run of the
    // whole suite, which at 20 ms of app time read as +57 %): 100 ms, then 300 ms for the slower build.
    app.setDelay(100);
    try {
      const first = await judged(runArgs());
      expect(first.code, first.stderr).toBe(0);
      const items = read<Results>(first.runDir, 'results.json').api?.endpoints.find((e) => e.name === 'items');
      expect(items?.latency.histogram?.bins.length).toBeGreaterThan(0);
      expect(items?.latency.intervals?.p95?.n).toBe(200);

      const rerun = await judged(runArgs('--baseline', 'latest'));
      expect(rerun.code, rerun.stderr).toBe(0);
      const same = rerun.verdicts.verdicts.filter((v) => v.check === 'regression');
      expect(same).toHaveLength(2);
      for (const v of same) {
        expect(v.status, v.message).toBe('pass');
        expect(v.significance?.nCurrent).toBe(200);
      }

      app.setDelay(300);
      const slower = await judged(runArgs('--baseline', path.join(first.runDir, 'results.json')));
      expect(slower.code, slower.stderr).toBe(1);
      const regressed = slower.verdicts.verdicts.filter((v) => v.check === 'regression');
      for (const v of regressed) {
        expect(v.status, v.message).toBe('fail');
        expect(v.significance?.significant).toBe(true);
        expect(v.significance?.p).toBeLessThan(0.001);
        expect(v.significance?.probabilityWorse).toBeGreaterThan(0.75);
        expect(v.message).toMatch(/Mann–Whitney p = .*, P\(worse\) = \d\.\d\d, 200 vs 200 requests/);
        expect(slower.stderr).toContain(`✗ ${v.message}`);
      }

      // The JUnit file has the console's counts: one testcase per verdict, one failure per failed line.
      const junit = readFileSync(path.join(slower.runDir, 'junit.xml'), 'utf8');
      const c = slower.verdicts.counts;
      const printed = /FAIL: (\d+) passed, (\d+) warned, (\d+) failed, (\d+) skipped/.exec(slower.stderr);
      expect(printed?.slice(1).map(Number)).toEqual([c.pass, c.warn, c.fail, c.skip]);
      expect(junit.match(/<testcase /g)).toHaveLength(c.pass + c.warn + c.fail + c.skip);
      expect(junit.match(/<failure /g)).toHaveLength(c.fail);
      expect(slower.stderr.match(/^ {2}✗ /gm)).toHaveLength(c.fail);
    } finally {
      app.setDelay(0);
    }
  }, 180_000);
});
