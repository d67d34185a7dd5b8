import { main } from '../toolkit/cli/io.ts';
import { runSetup } from '../toolkit/setup/cli.ts';

await main(runSetup);
