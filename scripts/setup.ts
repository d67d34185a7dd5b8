// `tsx scripts/setup.ts --for test|loadtest`: Chromium plus the reference rig's system packages.
import { main } from '../toolkit/cli/io.ts';
import { runSetup } from '../toolkit/setup/cli.ts';
import { RIG_PACKAGES_HELP, rigSetupPackages } from '../reference-app/rig/packages.ts';

await main((io) => runSetup(io, { packages: rigSetupPackages, describe: RIG_PACKAGES_HELP }));
