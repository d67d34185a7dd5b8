#!/usr/bin/env -S npx tsx
// Initial JS of the reference app's dashboard route, from the build's stats.json (one JSON line).
import { main } from '../../toolkit/cli/io.ts';
import { runBundleSize } from '../../reference-app/client/bench/bundle-size.ts';

await main(runBundleSize);
