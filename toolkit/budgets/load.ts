import { ToolkitError } from '../errors.ts';
import { readJsonFile } from '../results/io.ts';
import { compileSchema, type SchemaProblem } from '../results/validate.ts';
import { parseChecks, type BudgetCheck } from './checks.ts';
import { lighthouseBudgetChecks } from './lighthouse-classic.ts';
import { specsOf } from './measures.ts';
import {
  generateBudgetJsonSchema,
  generateLighthouseBudgetJsonSchema,
  type Budget,
  type LighthouseBudget,
} from './schema.ts';

/** A budget file read, validated and parsed into checks. */
export interface LoadedBudget {
  /** The file as named by the user (used in every verdict line). */
  source: string;
  format: 'perfkit' | 'lighthouse';
  checks: BudgetCheck[];
}

let validators: { perfkit: ReturnType<typeof compileSchema>; lighthouse: ReturnType<typeof compileSchema> } | undefined;

function invalid(source: string, problems: SchemaProblem[]): ToolkitError {
  const lines = problems.slice(0, 12).map((p) => `${source}#${p.pointer}: ${p.message}`);
  if (problems.length > 12) lines.push(`(${problems.length - 12} more)`);
  return new ToolkitError('BUDGET_INVALID', `invalid budget:\n${lines.join('\n')}`, {
    fix: 'correct the entries named above; `npm run budgets -- docs` writes the format reference to docs/budgets.md',
  });
}

/**
 * Validates budget data (perfkit format, or Lighthouse's classic budget.json
 * when the top level is an array) and parses it into checks. Throws
 * BUDGET_INVALID (exit 2) naming the file, JSON pointer and what was expected.
 */
export function parseBudget(data: unknown, source: string): LoadedBudget {
  validators ??= {
    perfkit: compileSchema(generateBudgetJsonSchema()),
    lighthouse: compileSchema(generateLighthouseBudgetJsonSchema()),
  };
  if (Array.isArray(data)) {
    const problems = validators.lighthouse(data);
    if (problems.length > 0) throw invalid(source, problems);
    return { source, format: 'lighthouse', checks: lighthouseBudgetChecks(data as LighthouseBudget) };
  }
  const problems = validators.perfkit(data);
  if (problems.length > 0) throw invalid(source, problems);
  const budget = data as Budget;
  const parsed = parseChecks(specsOf(budget), {
    level: budget.defaults?.level ?? 'error',
    tolerance: budget.defaults?.tolerance,
    inconclusive: budget.defaults?.inconclusive,
    regressionLevel: budget.regressions?.level,
    alpha: budget.regressions?.alpha,
  });
  if (parsed.problems.length > 0) throw invalid(source, parsed.problems);
  return { source, format: 'perfkit', checks: parsed.checks };
}

/** Reads and parses a budget file; `file` is shown as given. */
export function loadBudget(file: string, cwd?: string): LoadedBudget {
  return parseBudget(readJsonFile(file, cwd), file);
}
