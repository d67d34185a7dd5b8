import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/io.ts';
import { generateResultsJsonSchema, publishedResultsJsonSchema } from '../results/json-schema.ts';
import { runBudgets } from './cli.ts';
import { budgetDocs } from './docs.ts';
import { generateBudgetJsonSchema } from './schema.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'budgets-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    argv,
    env: {},
    cwd: process.cwd(),
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
  };
  const code = await runBudgets(io);
  return { code, out, err };
}

const RESULTS = 'toolkit/results/fixtures/results.json';

describe('budgets CLI', () => {
  it('check exits 0 on pass and writes verdicts.json into --out DIR', async () => {
    const dir = path.join(tmp, 'judged');
    const r = await cli('check', '--results', RESULTS, '--budget', 'budgets/default.json', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(readdirSync(dir)).toEqual(['verdicts.json']);
    const out = path.join(dir, 'verdicts.json');
    expect(r.err).toMatch(/budgets PASS: \d+ passed, 0 warned, 0 failed/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      schemaVersion: 1,
      outcome: 'pass',
      budgets: ['budgets/default.json'],
    });
  });

  it('check exits 0 with warnings and 1 when an error-level entry fails', async () => {
    const warn = await cli(
      'check',
      '--results',
      RESULTS,
      '--budget',
      'toolkit/budgets/fixtures/warn-only.json',
      '--no-write',
    );
    expect(warn.code).toBe(0);
    expect(warn.err).toMatch(
      /^WARN toolkit\/budgets\/fixtures\/warn-only\.json#\/api\/endpoints\/dashboard\/p95: expected <= 10 ms/m,
    );
    const fail = await cli(
      'check',
      '--results',
      RESULTS,
      '--budget',
      'toolkit/budgets/fixtures/not-measured.json',
      '--no-write',
      '--json',
    );
    expect(fail.code).toBe(0); // the fixture measures the bundle: passes
    const base = await cli(
      'check',
      '--results',
      RESULTS,
      '--baseline',
      'toolkit/results/fixtures/baseline.json',
      '--budget',
      'toolkit/budgets/fixtures/regression.json',
      '--no-write',
      '--json',
    );
    expect([0, 1]).toContain(base.code);
    const verdicts = JSON.parse(base.out) as { outcome: string; verdicts: Array<{ check: string }> };
    expect(verdicts.verdicts.some((v) => v.check === 'regression')).toBe(true);
    expect(base.code).toBe(verdicts.outcome === 'fail' ? 1 : 0);
  });

  it('writes nothing without --out or --write; --write updates the verdicts and the report together', async () => {
    const reports = path.join(tmp, 'reports');
    const runDir = path.join(reports, '2026-11-25T10-00-00Z-default');
    mkdirSync(runDir, { recursive: true });
    copyFileSync(RESULTS, path.join(runDir, 'results.json'));
    const results = path.join(runDir, 'results.json');
    const passed = await cli('check', '--results', results, '--budget', 'budgets/default.json', '--write', '--quiet');
    expect(passed.code).toBe(0);
    const snapshot = (): Record<string, string> =>
      Object.fromEntries(
        readdirSync(reports, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => {
            const file = path.join(e.parentPath, e.name);
            return [path.relative(reports, file), createHash('sha256').update(readFileSync(file)).digest('hex')];
          }),
      );
    const before = snapshot();
    expect(Object.keys(before).sort()).toEqual(
      [
        'index.html',
        ...['index.html', 'junit.xml', 'results.json', 'summary.md', 'verdicts.json'].map(
          (f) => `2026-11-25T10-00-00Z-default/${f}`,
        ),
      ].sort(),
    );
    const budget = 'toolkit/budgets/fixtures/not-measured.json';
    const tight = path.join(tmp, 'tight.json');
    writeFileSync(tight, JSON.stringify({ api: { p95: '<= 0.001 ms' } }));

    // Without --out: verdicts on stdout, the run folder byte-for-byte as it was.
    const dry = await cli('check', '--results', results, '--budget', tight);
    expect(dry.code).toBe(1);
    expect((JSON.parse(dry.out) as { outcome: string }).outcome).toBe('fail');
    expect(snapshot()).toEqual(before);
    expect((await cli('check', '--results', results, '--budget', budget, '--no-write')).code).toBe(0);
    expect(snapshot()).toEqual(before);

    // --write: verdicts.json, the run's report and the reports index all say FAIL.
    const written = await cli('check', '--results', results, '--budget', tight, '--write');
    expect(written.code).toBe(1);
    expect(written.err).toMatch(/updated .*2026-11-25T10-00-00Z-default: verdicts.json and its report/);
    const read = (f: string): string => readFileSync(path.join(runDir, f), 'utf8');
    expect((JSON.parse(read('verdicts.json')) as { outcome: string }).outcome).toBe('fail');
    expect(read('index.html')).toMatch(/<title>FAIL · /);
    expect(read('junit.xml')).toMatch(/failures="1"/);
    expect(readFileSync(path.join(reports, 'index.html'), 'utf8')).toMatch(/badge fail">FAIL/);
    expect(read('results.json')).toBe(readFileSync(RESULTS, 'utf8'));

    // --write needs the run's own folder.
    const elsewhere = await cli('check', '--results', RESULTS, '--budget', tight, '--write');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.err).toMatch(/--write: .* is not in its run's folder/);
  });

  it('exits 2 on an invalid budget naming file, JSON pointer and expectation', async () => {
    const unit = await cli(
      'check',
      '--results',
      RESULTS,
      '--budget',
      'toolkit/budgets/fixtures/invalid-unit.json',
      '--no-write',
    );
    expect(unit.code).toBe(2);
    expect(unit.err).toContain('error BUDGET_INVALID');
    expect(unit.err).toContain(
      'toolkit/budgets/fixtures/invalid-unit.json#/api/endpoints/dashboard/p95: expected a duration such as "300 ms" or "1.5 s"',
    );
    const unknown = await cli(
      'check',
      '--results',
      RESULTS,
      '--budget',
      'toolkit/budgets/fixtures/unknown-key.json',
      '--no-write',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('toolkit/budgets/fixtures/unknown-key.json#/api/p95th: unknown key "p95th"');
    const shape = await cli(
      'check',
      '--results',
      RESULTS,
      '--budget',
      'toolkit/budgets/fixtures/bad-shape.json',
      '--no-write',
    );
    expect(shape.code).toBe(2);
    expect(shape.err).toContain('bad-shape.json#/cache/hitRatio/level: expected one of "warn", "error"');
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    expect((await cli('check')).code).toBe(2);
    expect((await cli('check', '--results', RESULTS, '--bogus')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    const missing = await cli('check', '--results', 'nope/results.json');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error FILE_NOT_FOUND: nope/results.json');
  });

  it('prints the schema, and the committed schema, results schema and docs are in sync with the code', async () => {
    const schema = await cli('schema');
    expect(JSON.parse(schema.out)).toEqual(generateBudgetJsonSchema());
    expect(
      JSON.parse(readFileSync('budgets/budget.schema.json', 'utf8')),
      'run: npm run budgets -- schema > budgets/budget.schema.json',
    ).toEqual(generateBudgetJsonSchema());
    expect(publishedResultsJsonSchema(), 'run: npx tsx toolkit/results/generate-schema.ts').toEqual(
      generateResultsJsonSchema(),
    );
    expect(readFileSync('docs/budgets.md', 'utf8'), 'run: npm run budgets -- docs').toBe(budgetDocs() + '\n');
    const docs = await cli('docs', '--stdout');
    expect(docs.out).toContain('| `/api/endpoints/<name>/p95` |');
  });
});
