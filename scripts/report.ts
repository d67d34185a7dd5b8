import { main } from '../toolkit/cli/io.ts';
import { runReport } from '../toolkit/report/cli.ts';

await main(runReport);
