#!/usr/bin/env node
// The installed `perfkit` command (compiled to dist-lib/bin/perfkit.js): every subcommand, no default target.
import { main } from '../toolkit/cli/io.ts';
import { runPerfkit } from '../toolkit/cli/perfkit.ts';

await main((io) => runPerfkit(io));
