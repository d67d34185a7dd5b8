import { main } from '../toolkit/cli/io.ts';
import { runStackCommand } from '../toolkit/stack/cli.ts';

await main(runStackCommand);
