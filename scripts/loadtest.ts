#!/usr/bin/env -S npx tsx
// `npm run loadtest`: the toolkit's loadtest command with the reference rig as its default target
// (stack up → app up → seed → scenarios → Lighthouse → bundle → results → budgets → report → stack down).
import { main } from '../toolkit/cli/io.ts';
import { runLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';

await main((io) => runLoadtest(io, { defaultTarget: referenceRig }));
