// `npm run doctor`: `perfkit doctor` as the repo composes it (scripts/composition.ts).
import { main } from '../toolkit/cli/io.ts';
import { perfkitCommand } from './composition.ts';

await main(perfkitCommand('doctor'));
