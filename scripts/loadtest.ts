#!/usr/bin/env -S npx tsx
// `npm run loadtest`: stack up → app up → seed → scenarios → Lighthouse → bundle → budgets → report → stack down.
import { main } from '../toolkit/cli/io.ts';
import { runLoadtest } from '../toolkit/loadtest/index.ts';

await main(runLoadtest);
