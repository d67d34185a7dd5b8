// `npm run lighthouse`: `perfkit lighthouse` as the repo composes it (scripts/composition.ts).
import { main } from '../toolkit/cli/io.ts';
import { perfkitCommand } from './composition.ts';

await main(perfkitCommand('lighthouse'));
