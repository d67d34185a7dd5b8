/** System set-up (packages installed with apt when allowed), the browser finder, and the doctor. */
export { checkSystemPackages, ensureSystemPackages, findChrome, missingPackagesError } from './packages.ts';
export type { SetupOptions, SetupPurpose, SystemPackage } from './packages.ts';
export { runSetup } from './cli.ts';
export { runDoctor, serviceChecks } from './doctor.ts';
export type { Check } from './doctor.ts';
