/**
 * The k6 conformance matrix's built-in column again, with `--vu-model shared`: every case of
 * test/fixtures/k6/conformance against the cases' own loopback target, compared with what k6 2.2
 * recorded, by the matrix's own rules. Cases the shared model does not pass yet are todo, with the
 * reason, in shared-pending.json (its own list: builtin-pending.json is the isolate column's).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtinEngine,
  compareFacts,
  expectationFor,
  loadCases,
  runCase,
  startTarget,
  type Engine,
  type Target,
} from './support/conformance-matrix.ts';
import { ruleFor } from './support/conformance-rules.ts';
import { ensureCompiledK6 } from './support/compiled-k6.ts';

/** SHARED_ALL=1 runs every case, pending or not (to see what passes by now). */
const PENDING: Record<string, string> = process.env.SHARED_ALL
  ? {}
  : (JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures', 'k6', 'conformance', 'shared-pending.json'), 'utf8'),
    ) as Record<string, string>);
const base = builtinEngine();
const SHARED: Engine = {
  ...base,
  label: 'builtin --vu-model shared',
  command: [...base.command, '--vu-model', 'shared'],
};

let target: Target;
beforeAll(async () => {
  ensureCompiledK6();
  target = await startTarget();
});
afterAll(() => target?.stop());

describe.concurrent('k6 conformance matrix, shared VU model', () => {
  for (const [name, entry] of loadCases()) {
    const reason = PENDING[name];
    if (reason) {
      it.todo(`${name} (pending: ${reason})`);
      continue;
    }
    const timeoutS = ruleFor(name, SHARED).timeoutS ?? entry.run?.timeoutS ?? 90;
    it(
      name,
      async () => {
        const { facts, stderr } = await runCase(SHARED, name, entry, target);
        const problems = compareFacts(name, SHARED, expectationFor(entry, SHARED.line), facts);
        expect(problems, `${SHARED.label} ${name}\nstderr (end):\n${stderr.slice(-1500)}`).toEqual([]);
      },
      (timeoutS + 30) * 1000,
    );
  }
});
