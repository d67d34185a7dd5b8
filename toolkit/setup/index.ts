/** System set-up (packages installed with apt when allowed), the browser finder, and the doctor. */
export { checkSystemPackages, CHROMIUM, ensureSystemPackages, findChrome, missingPackagesError } from './packages.ts';
export type { EnsureOptions, SystemPackage, SystemPackageSpec } from './packages.ts';
export { runSetup } from './cli.ts';
export type { SetupOptions, SetupPurpose } from './cli.ts';
export { formatChecks, probeCheck, runDoctor } from './doctor.ts';
export type { Check, DoctorOptions, DoctorSection } from './doctor.ts';
