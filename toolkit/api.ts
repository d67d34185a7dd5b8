/** perfkit's programmatic API (the package's main export): each stage usable from code. */
export { runScript, pickEngine } from './engines.ts';
export type { RunOutcome, RunScriptOptions, Progress } from './engines.ts';
export { evaluateBudget, exitCodeOf, loadBudget } from './budgets/index.ts';
export { writeReport, loadReportAssets } from './report/index.ts';
export { importK6Results } from './k6/index.ts';
export { readResults, validateResults } from './results/index.ts';
export type { Results, Verdicts } from './results/index.ts';
export { targetFromUrl } from './target/index.ts';
export type { Target, TargetProvider, TargetPage, TargetAuth } from './target/index.ts';
export { runPerfkit } from './cli/perfkit.ts';
export { runLoadtest } from './cli/loadtest/command.ts';
