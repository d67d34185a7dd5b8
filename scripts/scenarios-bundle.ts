#!/usr/bin/env -S npx tsx
// `npm run scenarios:bundle`: plain-JS bundles of scenarios/*.ts for k6-operator / k6 cloud.
import { main } from '../toolkit/cli/io.ts';
import { runScenariosBundle } from '../toolkit/k6/scenarios-bundle.ts';

await main(runScenariosBundle);
