#!/usr/bin/env node
// `perfkit-k6 run SCRIPT`: the k6-compatible runner alone (as `perfkit run`).
import { main } from '../toolkit/cli/io.ts';
import { runK6Cli } from '../toolkit/cli/k6-run.ts';

await main(runK6Cli);
