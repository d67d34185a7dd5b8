#!/usr/bin/env -S npx tsx
// Lighthouse (mobile defaults) of the reference app's logged-in dashboard: one JSON line with the score and LCP.
import { main } from '../../toolkit/cli/io.ts';
import { runLighthouseDashboard } from '../../reference-app/client/bench/lighthouse-dashboard.ts';

await main(runLighthouseDashboard);
