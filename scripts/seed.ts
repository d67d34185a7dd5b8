import { runSeed } from '../reference-app/db/cli.ts';
import { main } from '../toolkit/cli/io.ts';

await main(runSeed);
