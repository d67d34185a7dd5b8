#!/usr/bin/env -S npx tsx
// The stub external API: `tsx scripts/upstream.ts [--port N] [--latency-ms N] [--failure-rate 0..1]`.
import { main } from '../toolkit/cli/io.ts';
import { runUpstream } from '../reference-app/server/upstream/main.ts';

await main((io) => runUpstream(io.argv, io.env, io.stdout, io.signal));
