import { main } from '../toolkit/cli/io.ts';
import { runLighthouseCli } from '../toolkit/lighthouse/cli.ts';

await main(runLighthouseCli);
