import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateBudget } from '../budgets/evaluate.ts';
import { loadBudget } from '../budgets/load.ts';
import { exitWithUserError, type CliIo } from '../cli/io.ts';
import { EXIT, usageError } from '../errors.ts';
import { readResults, readVerdicts } from '../results/io.ts';
import type { Results } from '../results/schema.ts';
import type { Verdicts } from '../results/verdicts.ts';
import { loadReportAssets } from './assets.ts';
import { writeReport } from './write.ts';

export const REPORT_HELP = `Usage: npm run report -- --from reports/<run>/results.json [options]

Rebuilds a run's report (index.html, verdicts.json, junit.xml, summary.md)
from saved results, and refreshes reports/index.html.

Options:
  --from FILE       results.json of a run (required)
  --budget FILE     judge against this budget (repeatable); without it the
                    verdicts.json beside --from is reused when present
  --baseline FILE   results.json of an earlier run to compare against
                    (judged with budgets/default.json unless --budget is given)
  --out DIR         reports folder (default reports); the run goes to DIR/<run-id>/
  --json            print {"dir", "outcome"} on stdout
  --quiet           no lines on stderr
  -h, --help        this text

Exit codes: 0 report written, 2 usage, config or results error.`;

function verdictsFor(
  io: CliIo,
  results: Results,
  from: string,
  budgets: string[] | undefined,
  baseline: string | undefined,
): Verdicts | null {
  const beside = path.join(path.dirname(path.resolve(io.cwd, from)), 'verdicts.json');
  if (!budgets && !baseline && existsSync(beside)) return readVerdicts(beside);
  if (!budgets && !baseline) return null;
  const loaded = (budgets ?? ['budgets/default.json']).map((b) => loadBudget(b, io.cwd));
  const base = baseline ? readResults(baseline, io.cwd) : undefined;
  return evaluateBudget(results, loaded, base ? { baseline: base, baselineSource: baseline ?? '' } : {});
}

/** `npm run report -- --from …`: rebuilds a report from saved results. */
export async function runReport(io: CliIo): Promise<number> {
  try {
    const { values } = parseArgs({
      args: io.argv,
      options: {
        from: { type: 'string' },
        budget: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(REPORT_HELP + '\n');
      return EXIT.ok;
    }
    if (!values.from)
      throw usageError('--from FILE is required', 'pass a saved run: --from reports/<run>/results.json');
    const results = readResults(values.from, io.cwd);
    const verdicts = verdictsFor(io, results, values.from, values.budget, values.baseline);
    const outRoot = path.resolve(io.cwd, values.out ?? 'reports');
    // The baseline's series and sizes for the overlays and deltas: the one given, or the one the verdicts name.
    const baselineFile = values.baseline ?? verdicts?.baseline ?? undefined;
    const baseline =
      baselineFile && existsSync(path.resolve(io.cwd, baselineFile)) ? readResults(baselineFile, io.cwd) : undefined;
    const { dir } = writeReport({
      outRoot,
      results,
      verdicts,
      assets: loadReportAssets(),
      env: io.env,
      ...(baseline ? { baseline } : {}),
    });
    const rel = path.relative(io.cwd, dir) || '.';
    if (values.json) io.stdout.write(JSON.stringify({ dir: rel, outcome: verdicts?.outcome ?? null }) + '\n');
    if (!values.quiet)
      io.stderr.write(
        `report ${verdicts ? verdicts.outcome.toUpperCase() : 'NOT JUDGED'}: ${path.join(rel, 'index.html')}\n`,
      );
    return EXIT.ok;
  } catch (err) {
    return exitWithUserError(io, err);
  }
}
