#!/usr/bin/env -S npx tsx
// `npm run app -- --instances N [--port P]`: the reference app's instance runner.
import { main } from '../toolkit/cli/io.ts';
import { runApp } from '../reference-app/server/main.ts';

await main((io) => runApp(io));
