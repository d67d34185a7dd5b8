#!/usr/bin/env -S npx tsx
// `npm run build`: builds the reference app's browser client (see reference-app/client/build-cli.ts).
import { main } from '../toolkit/cli/io.ts';
import { runBuild } from '../reference-app/client/build-cli.ts';

await main(runBuild);
