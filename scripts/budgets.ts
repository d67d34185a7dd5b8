import { main } from '../toolkit/cli/io.ts';
import { runBudgets } from '../toolkit/budgets/cli.ts';

await main(runBudgets);
