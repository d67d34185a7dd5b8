import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  it('check exits 0 on pass and writes verdicts.json', async () => {
    const out = path.join(tmp, 'verdicts.json');
    const r = await cli('check', '--results', RESULTS, '--budget', 'budgets/default.json', '--out', out);
    expect(r.code).toBe(0);
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
