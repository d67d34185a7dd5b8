import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exitWithUserError, type CliIo } from '../cli/io.ts';
import { EXIT, usageError } from '../errors.ts';
import { readResults, writeJsonAtomic } from '../results/io.ts';
import type { Results } from '../results/schema.ts';
import { loadReportAssets } from '../report/assets.ts';
import { writeReport } from '../report/write.ts';
import type { Verdict, Verdicts } from '../results/verdicts.ts';
import { budgetDocs } from './docs.ts';
import { evaluateBudget, exitCodeOf, interruptedLine } from './evaluate.ts';
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
           --out DIR         write verdicts.json into DIR (nothing else is written)
           --write           update the run's own verdicts.json and its report
                             (index.html, junit.xml, summary.md, the reports index)
           without --out or --write nothing is written: verdicts.json goes to stdout
           --json            print verdicts.json on stdout also with --out/--write
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
  const stopped = interruptedLine(v);
  if (stopped) io.stderr.write(`${stopped}\n`);
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
      write: { type: 'boolean' },
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
  if (values.write && values['no-write']) throw usageError('--write and --no-write contradict each other');
  if (values.out !== undefined) {
    const dir = path.resolve(io.cwd, values.out);
    if (existsSync(dir) && !statSync(dir).isDirectory())
      throw usageError(`--out ${values.out}: not a folder`, 'give the folder verdicts.json is written into');
    mkdirSync(dir, { recursive: true });
    writeJsonAtomic(path.join(dir, 'verdicts.json'), verdicts);
  }
  if (values.write) writeRunFiles(io, values.results, results, verdicts, values.quiet ?? false);
  const written = values.out !== undefined || values.write;
  if (values.json || !written) io.stdout.write(JSON.stringify(verdicts, null, 2) + '\n');
  report(io, verdicts, values.quiet ?? false);
  return exitCodeOf(verdicts);
}

/** --write: the run's verdicts.json and its whole report, together, so they never disagree. */
function writeRunFiles(io: CliIo, resultsArg: string, results: Results, verdicts: Verdicts, quiet: boolean): void {
  const runDir = path.dirname(path.resolve(io.cwd, resultsArg));
  if (path.basename(runDir) !== results.meta.id)
    throw usageError(
      `--write: ${resultsArg} is not in its run's folder (<reports>/${results.meta.id}/results.json)`,
      'use --out DIR to write the verdicts elsewhere',
    );
  writeReport({ outRoot: path.dirname(runDir), results, verdicts, assets: loadReportAssets(), env: {} });
  if (!quiet) io.stderr.write(`updated ${path.relative(io.cwd, runDir) || '.'}: verdicts.json and its report\n`);
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
