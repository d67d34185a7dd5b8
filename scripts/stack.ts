import { main } from '../toolkit/cli/io.ts';
import { runStackCommand } from '../reference-app/rig/cli.ts';

await main(runStackCommand);
