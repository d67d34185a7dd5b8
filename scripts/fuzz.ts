#!/usr/bin/env -S npx tsx
// `npm run fuzz -- --seconds 60`: libFuzzer + AddressSanitizer over the built-in runner's HTTP response parser.
import { main } from '../toolkit/cli/io.ts';
import { runFuzz } from '../toolkit/cli/fuzz.ts';

await main(runFuzz);
