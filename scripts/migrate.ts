import { runMigrate } from '../reference-app/db/cli.ts';
import { main } from '../toolkit/cli/io.ts';

await main(runMigrate);
