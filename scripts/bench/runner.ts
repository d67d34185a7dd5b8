#!/usr/bin/env -S npx tsx
// The built-in k6 runner vs autocannon (and real k6 when installed): req/s, RSS per VU, timing overhead; one JSON line.
import { main } from '../../toolkit/cli/io.ts';
import { runRunnerBench } from '../../toolkit/runner/bench.ts';

await main(runRunnerBench);
