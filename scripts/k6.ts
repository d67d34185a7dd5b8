#!/usr/bin/env -S npx tsx
/** `k6 run`-compatible entry point: npm run k6 -- run <script> [flags]. */
import { main } from '../toolkit/cli/io.ts';
import { runK6Cli } from '../toolkit/cli/k6-run.ts';

await main(runK6Cli, 'k6');
