import { runShard } from '../reference-app/db/shard-cli.ts';
import { main } from '../toolkit/cli/io.ts';

await main(runShard);
