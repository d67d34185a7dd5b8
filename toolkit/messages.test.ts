/**
 * Messages for bad input: JSON syntax errors in budgets and config files name
 * file:line:column; a limit without (or with a wrong) unit says so in a
 * sentence listing the units; a sub-0.1 ms limit prints in µs, never as 0 ms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateBudget } from './budgets/evaluate.ts';
import { loadBudget, parseBudget } from './budgets/load.ts';
import { formatQuantity } from './budgets/units.ts';
import { loadConfig } from './cli/loadtest/config.ts';
import { readResults } from './results/io.ts';

const work = mkdtempSync(path.join(tmpdir(), 'perfkit-messages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('messages for bad input', () => {
  it('a JSON syntax error in a budget names file:line:column', () => {
    const file = path.join(work, 'budget.json');
    writeFileSync(file, '{\n  "api": {\n    "p95": "<= 300 ms",\n  }\n}\n');
    expect(() => loadBudget(file)).toThrow(
      expect.objectContaining({
        code: 'JSON_INVALID',
        message: `${file}:4:3: not valid JSON: Expected double-quoted property name`,
      }),
    );
    writeFileSync(file, '{"api": {"p95": "<= 300 ms"}');
    expect(() => loadBudget(file)).toThrow(/budget\.json:1:29: not valid JSON: Expected ',' or '}'/);
  });

  it('a JSON syntax error in perfkit.config.json names file:line:column', () => {
    const file = path.join(work, 'perfkit.config.json');
    writeFileSync(file, '{\n  "scenarios": ["smoke"]\n  "engine": "builtin"\n}\n');
    expect(() => loadConfig(['--config', file, '--target', 'http://127.0.0.1:9/'], {}, work)).toThrow(
      expect.objectContaining({
        code: 'JSON_INVALID',
        message: `${file}:3:3: not valid JSON: Expected ',' or '}' after property value`,
      }),
    );
  });

  it('a limit without a unit, or with one of another kind, reads as a sentence', () => {
    expect(() => parseBudget({ api: { p95: '<= 300' } }, 'b.json')).toThrow(
      'b.json#/api/p95: expected a duration such as "300 ms" or "1.5 s", with a unit (us, µs, ms, s, min); "<= 300" has none',
    );
    expect(() => parseBudget({ api: { p95: '<= 3 kB' } }, 'b.json')).toThrow(
      '"kB" is not a unit of time (use us, µs, ms, s, min)',
    );
  });

  it('a limit under 0.1 ms prints in microseconds, never as 0 ms', () => {
    expect(formatQuantity(0.001, 'duration')).toBe('1 µs');
    expect(formatQuantity(0.05, 'duration')).toBe('50 µs');
    expect(formatQuantity(0.5, 'duration')).toBe('0.5 ms');
    const results = readResults('toolkit/results/fixtures/results.json');
    const v = evaluateBudget(results, parseBudget({ api: { p95: '<= 0.001 ms' } }, 'b.json'));
    expect(v.verdicts[0]?.message).toMatch(/expected <= 1 µs, found \d/);
  });

  it('a size prints in the largest decimal unit it reaches: a machine has 25.28 GB, not 25276.19 MB', () => {
    expect(formatQuantity(25_276_194_816, 'size')).toBe('25.28 GB');
    expect(formatQuantity(94_623, 'size')).toBe('94.6 kB');
    expect(formatQuantity(360_000_000, 'size')).toBe('360 MB');
  });
});
