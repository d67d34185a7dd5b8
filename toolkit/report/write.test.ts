import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateBudget } from '../budgets/evaluate.ts';
import { loadBudget, parseBudget } from '../budgets/load.ts';
import type { CliIo } from '../cli/io.ts';
import { generateResults } from '../results/fixtures/generate.ts';
import type { Verdicts } from '../results/verdicts.ts';
import { runReport } from './cli.ts';
import { renderIndex, summarizeRun } from './index-page.ts';
import { renderJunit, verdictCaseName } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportAssets } from './render.ts';
import { writeReport } from './write.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    argv,
    env,
    cwd: process.cwd(),
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
  };
  return { code: await runReport(io), out, err };
}

describe('report CLI', () => {
  it('rebuilds a report folder from saved results with budgets and baseline, and refreshes the index', async () => {
    const outRoot = path.join(tmp, 'reports');
    const summary = path.join(tmp, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await cli(
      [
        '--from',
        'toolkit/results/fixtures/results.json',
        '--budget',
        'budgets/default.json',
        '--baseline',
        'toolkit/results/fixtures/baseline.json',
        '--out',
        outRoot,
        '--json',
      ],
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(r.code).toBe(0);
    const dir = path.join(outRoot, '2026-11-25T10-00-00Z-default');
    expect(JSON.parse(r.out)).toEqual({ dir: path.relative(process.cwd(), dir), outcome: 'pass' });
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'junit.xml', 'results.json', 'summary.md', 'verdicts.json']);
    expect(readdirSync(outRoot).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readFileSync(path.join(outRoot, 'index.html'), 'utf8')).toContain('2026-11-25T10-00-00Z-default/index.html');
    expect(readFileSync(summary, 'utf8')).toMatch(/^# earlier step\n## Performance: ✅ PASS/);
    // a second rebuild from the written folder reuses its verdicts.json and keeps foreign files
    writeFileSync(path.join(dir, 'lighthouse.html'), 'kept');
    const again = await cli(['--from', path.join(dir, 'results.json'), '--out', outRoot, '--quiet']);
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(dir, 'lighthouse.html'), 'utf8')).toBe('kept');
    expect(JSON.parse(readFileSync(path.join(dir, 'verdicts.json'), 'utf8'))).toMatchObject({
      baseline: 'toolkit/results/fixtures/baseline.json',
    });
  });

  it('exits 2 with the file and pointer on bad input', async () => {
    expect((await cli([])).code).toBe(2);
    const bad = path.join(tmp, 'bad-results.json');
    writeFileSync(bad, JSON.stringify({ ...generateResults(), schemaVersion: 9 }));
    const r = await cli(['--from', bad, '--out', path.join(tmp, 'never')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error RESULTS_INVALID: ${bad} does not match results schema v1`);
    expect(r.err).toContain(`${bad}#/schemaVersion: expected 1`);
    expect(existsSync(path.join(tmp, 'never'))).toBe(false);
  });
});

describe('writeReport', () => {
  it('leaves no half-written report when rendering fails', () => {
    const outRoot = path.join(tmp, 'atomic');
    mkdirSync(outRoot);
    const broken = {
      get uplotJs(): string {
        throw new Error('disk full');
      },
      uplotCss: '',
    } as ReportAssets;
    const results = generateResults({ id: 'broken-run' });
    expect(() => writeReport({ outRoot, results, verdicts: null, assets: broken })).toThrow('disk full');
    expect(readdirSync(outRoot)).toEqual([]);
  });
});

describe('JUnit and Markdown', () => {
  const results = generateResults({ slowdown: 3 });
  const budget = parseBudget(
    {
      api: { endpoints: { 'a<b>&"c"': { p95: '<= 1 ms' } }, p95: { limit: '<= 1 ms', level: 'warn' } },
      cache: { hitRatio: '>= 0.5' },
    },
    'budgets/x.json',
  );
  const v: Verdicts = evaluateBudget(results, [budget, loadBudget('toolkit/budgets/fixtures/not-measured.json')]);

  it('writes one testcase per verdict: counts and names as the console has them (Lighthouse cold and warm apart)', () => {
    const lighthouse = parseBudget(
      {
        defaults: { tolerance: '+1%' },
        frontend: { lighthouse: { metrics: { 'total-blocking-time': '<= 1 ms' }, scores: { performance: 0.999 } } },
      },
      'budgets/lh.json',
    );
    const base = generateResults({ seed: 7 });
    const judged = evaluateBudget(results, [lighthouse, budget], { baseline: base, baselineSource: 'b.json' });
    const subjects = new Set(judged.verdicts.map((x) => x.subject).filter(Boolean));
    expect(subjects.size).toBeGreaterThan(1);
    const xml = renderJunit(judged, 'run-1');
    const c = judged.counts;
    const names = [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]}#${m[2]}`);
    expect(names).toHaveLength(c.pass + c.warn + c.fail + c.skip);
    expect(new Set(names).size).toBe(names.length);
    expect(xml.match(/<failure /g)?.length ?? 0).toBe(c.fail);
    expect(xml.match(/<skipped /g)?.length ?? 0).toBe(c.skip);
    expect(xml).toContain(`tests="${names.length}" failures="${c.fail}" errors="0" skipped="${c.skip}">`);
    // Every line the console prints (fail and warn) names its testcase.
    for (const x of judged.verdicts.filter((y) => y.status === 'fail' || y.status === 'warn'))
      expect(x.message.startsWith(`${x.source}#${verdictCaseName(x).replace(/ \[regression\]$/, '')}`)).toBe(true);
    expect(names.some((n) => n.endsWith('[regression]'))).toBe(true);
  });

  it('writes the verdict lines as failure messages', () => {
    const xml = renderJunit(v, 'run-1');
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml).toContain('<testsuite name="budgets/x.json" tests="3" failures="1" errors="0" skipped="0">');
    expect(xml).toContain(
      '<testsuite name="toolkit/budgets/fixtures/not-measured.json" tests="2" failures="0" errors="0" skipped="0">',
    );
    expect(xml).toContain('name="/api/endpoints/a&lt;b&gt;&amp;&quot;c&quot;/p95"');
    expect(xml).toContain('<system-out>WARN budgets/x.json#/api/p95: expected &lt;= 1 ms');
    expect(xml).not.toMatch(/<b>/);
  });

  it('summarises in Markdown with table cells escaped', () => {
    const md = renderMarkdown(results, v);
    expect(md).toMatch(/^## Performance: ❌ FAIL · run `2026-11-25T10-00-00Z-default`/);
    expect(md).toContain(
      '| ❌ | budgets/x.json#/api/endpoints/a&lt;b&gt;&amp;&quot;c&quot;/p95: not measured: the results have no p95 of a&lt;b&gt;&amp;&quot;c&quot; |',
    );
    expect(md).toContain('| ⚠️ | budgets/x.json#/api/p95: expected &lt;= 1 ms, found 88.5 ms (+87.5 ms) |');
    expect(md.indexOf('| ❌ |')).toBeLessThan(md.indexOf('| ⚠️ |'));
    expect(md).toContain('| p95 response time | 88.5 ms |');
    expect(md).toMatch(/\| Lighthouse performance score \(0–1, median\) \| (0\.\d\d|1\.00|—) \|/);
    expect(md).not.toContain('Machine:');
  });

  it('names the machine in summary.md when the results record it', () => {
    const machine = {
      cores: 2,
      cpuModel: 'AMD EPYC 7B13',
      memoryBytes: 25_276_203_008,
      os: 'Linux 6.1.0 x64',
      node: 'v20.19.0',
      k6: 'v1.3.0',
      chromium: '143.0.7499.40',
      lighthouse: '12.8.2',
      benchmarkIndex: 1450.5,
    };
    const md = renderMarkdown({ ...results, meta: { ...results.meta, machine } }, v);
    expect(md).toContain(
      'Machine: 2 cores (AMD EPYC 7B13), 24 GiB, Linux 6.1.0 x64, Node v20.19.0, k6 v1.3.0, Chromium 143.0.7499.40, Lighthouse 12.8.2, benchmarkIndex 1451\n',
    );
    const { k6: _k6, chromium: _c, lighthouse: _l, benchmarkIndex: _b, ...bare } = machine;
    expect(renderMarkdown({ ...results, meta: { ...results.meta, machine: bare } }, v)).toContain(
      'Machine: 2 cores (AMD EPYC 7B13), 24 GiB, Linux 6.1.0 x64, Node v20.19.0\n',
    );
  });

  it('lists runs newest first with trend lines', () => {
    const runs = [generateResults({ id: 'a', seed: 1 }), generateResults({ id: 'b', seed: 2, slowdown: 1.2 })].map(
      (r, i) => ({ ...summarizeRun(r, null), startedAt: `2026-11-2${i}T00:00:00Z` }),
    );
    const page = renderIndex(runs);
    expect(page.indexOf('href="b/index.html"')).toBeLessThan(page.indexOf('href="a/index.html"'));
    expect(page.match(/<polyline/g)?.length).toBe(6);
    expect(renderIndex([])).toContain('No runs yet');
  });
});
