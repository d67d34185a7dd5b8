// The perfkit CLI as the repo composes it: the reference rig as the default target, its doctor checks,
// its system packages and its `stack` command. Every npm script is a thin call of this one CLI.
import type { Command } from '../toolkit/cli/io.ts';
import { runPerfkit, type PerfkitOptions } from '../toolkit/cli/perfkit.ts';
import { runStackCommand } from '../reference-app/rig/cli.ts';
import { rigDoctor } from '../reference-app/rig/doctor.ts';
import { RIG_PACKAGES_HELP, rigSetupPackages } from '../reference-app/rig/packages.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';

export const REPO_PERFKIT: PerfkitOptions = {
  defaultTarget: referenceRig,
  doctor: { sections: [rigDoctor] },
  setup: { packages: rigSetupPackages, describe: RIG_PACKAGES_HELP },
  stack: runStackCommand,
};

/** `perfkit <sub> …` with the repo's composition. */
export const perfkitCommand =
  (sub: string): Command =>
  (io) =>
    runPerfkit({ ...io, argv: [sub, ...io.argv] }, REPO_PERFKIT);
