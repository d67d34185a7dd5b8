import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exitWithUserError, type CliIo } from '../cli/io.ts';
import { EXIT, usageError } from '../errors.ts';
import { readResults, writeJsonAtomic } from '../results/io.ts';
import type { Verdict, Verdicts } from '../results/verdicts.ts';
import { budgetDocs } from './docs.ts';
import { evaluateBudget, exitCodeOf } from './evaluate.ts';
import { loadBudget } from './load.ts';
import { generateBudgetJsonSchema } from './schema.ts';

export const BUDGETS_HELP = `Usage: npm run budgets -- <command> [options]

Commands:
  check    judge saved results against budgets
           --results FILE    results.json of a run (required)
           --budget FILE     budget file (repeatable; default budgets/default.json);
                             perfkit format or Lighthouse budget.json
           --baseline FILE   results.json of an earlier run: regressions beyond
                             each entry's tolerance fail too
           --out FILE        where verdicts.json goes (default: beside --results)
           --no-write        do not write verdicts.json
           --json            print verdicts.json on stdout
           --quiet           no lines on stderr
  schema   print the budget JSON Schema (budgets/budget.schema.json)
  docs     write the budget format reference (default docs/budgets.md; --out FILE, --stdout)

Exit codes: 0 pass (warnings allowed), 1 an error-level budget failed, 2 usage or config error.`;

const TAG: Record<Verdict['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

function report(io: CliIo, v: Verdicts, quiet: boolean): void {
  if (quiet) return;
  for (const verdict of v.verdicts) {
    if (verdict.status !== 'pass') io.stderr.write(`${TAG[verdict.status]} ${verdict.message}\n`);
  }
  const c = v.counts;
  io.stderr.write(
    `budgets ${v.outcome.toUpperCase()}: ${c.pass} passed, ${c.warn} warned, ${c.fail} failed, ${c.skip} skipped\n`,
  );
}

async function check(io: CliIo, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      results: { type: 'string' },
      budget: { type: 'string', multiple: true },
      baseline: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.results)
    throw usageError(
      'check needs --results FILE',
      'pass the results.json of a run, e.g. --results reports/<run>/results.json',
    );
  const results = readResults(values.results, io.cwd);
  const budgets = (values.budget ?? ['budgets/default.json']).map((b) => loadBudget(b, io.cwd));
  const baseline = values.baseline ? readResults(values.baseline, io.cwd) : undefined;
  const verdicts = evaluateBudget(
    results,
    budgets,
    baseline ? { baseline, baselineSource: values.baseline ?? '' } : {},
  );
  if (!values['no-write']) {
    writeJsonAtomic(
      path.resolve(io.cwd, values.out ?? path.join(path.dirname(values.results), 'verdicts.json')),
      verdicts,
    );
  }
  if (values.json) io.stdout.write(JSON.stringify(verdicts, null, 2) + '\n');
  report(io, verdicts, values.quiet ?? false);
  return exitCodeOf(verdicts);
}

function docs(io: CliIo, args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, stdout: { type: 'boolean' } },
    strict: true,
  });
  const text = budgetDocs() + '\n';
  if (values.stdout) {
    io.stdout.write(text);
    return EXIT.ok;
  }
  const out = path.resolve(io.cwd, values.out ?? 'docs/budgets.md');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  io.stderr.write(`wrote ${path.relative(io.cwd, out)}\n`);
  return EXIT.ok;
}

/** `npm run budgets -- check|schema|docs`: judges saved results; exit 0 pass, 1 failed, 2 usage/config error. */
export async function runBudgets(io: CliIo): Promise<number> {
  const [command, ...rest] = io.argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) {
      io.stdout.write(BUDGETS_HELP + '\n');
      return command === undefined ? EXIT.error : EXIT.ok;
    }
    if (command === 'check') return await check(io, rest);
    if (command === 'schema') {
      io.stdout.write(JSON.stringify(generateBudgetJsonSchema(), null, 2) + '\n');
      return EXIT.ok;
    }
    if (command === 'docs') return docs(io, rest);
    throw usageError(`unknown command '${command}'`, 'use check, schema or docs (see --help)');
  } catch (err) {
    return exitWithUserError(io, err);
  }
}
