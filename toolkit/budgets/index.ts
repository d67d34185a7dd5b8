/** Budgets: schema, loading (perfkit format or Lighthouse budget.json), pure evaluation into verdicts. */
export {
  budgetSchema,
  lighthouseBudgetSchema,
  generateBudgetJsonSchema,
  entrySchema,
  BUDGET_SCHEMA_VERSION,
} from './schema.ts';
export type { Budget, BudgetEntry, LighthouseBudget } from './schema.ts';
export { loadBudget, parseBudget } from './load.ts';
export type { LoadedBudget } from './load.ts';
export { evaluateBudget, exitCodeOf, interruptedLine, summarize } from './evaluate.ts';
export type { EvaluateOptions } from './evaluate.ts';
export { OPERATORS } from './operators.ts';
export { parseQuantity, parseTolerance, formatQuantity, formatDelta } from './units.ts';
export { budgetDocs } from './docs.ts';
export { runBudgets, BUDGETS_HELP } from './cli.ts';
