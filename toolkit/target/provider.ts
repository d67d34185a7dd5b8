/**
 * A target provider plugs whatever runs behind a target into the loadtest
 * command: its own flags, config file section and help, the defaults it brings
 * for a profile, the system packages it needs, and start() → a Target. The
 * toolkit ships none; the repo's entry points plug in the reference rig.
 */
import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import type { FlagValues } from '../cli/args.ts';
import type { Results } from '../results/index.ts';
import type { SystemPackageSpec } from '../setup/index.ts';
import type { Target, TargetAuth, TargetPage } from './types.ts';

/** The run profile: the full default run, or the quick CI gate (--ci). */
export type Profile = 'default' | 'ci';

/** The defaults a provider brings for a profile; the config file and flags override each. */
export interface ProfileDefaults {
  scenarios: string[];
  /** Budget file, relative to the project root. */
  budget: string;
  /** Environment for the scenarios (durations, VUs, the size of the seeded data…). */
  env: Record<string, string>;
  /** Pages Lighthouse and the browser under load open (the first one under load). */
  pages: TargetPage[];
  auth?: TargetAuth;
}

/** What a provider resolves its options from. */
export interface ProviderInput {
  /** Values of its own flags (only those it declared; none with --target). */
  flags: FlagValues;
  /** Its config file section, checked against its schema; undefined when absent. */
  section: unknown;
  /** The scenarios the user chose (flags or config file), before any default. */
  scenarios: string[];
  profile: Profile;
}

/** What start() is given. */
export interface ProviderStartContext {
  root: string;
  /** The environment passed through to child processes (PATH, HOME, service URLs…). */
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  signal?: AbortSignal;
  runId: string;
  runDir: string;
  /** The pages and login the run resolved (the provider's defaults unless the config file set others). */
  pages: TargetPage[];
  auth?: TargetAuth;
  /**
   * Measures another target the provider started, as the run measures its own (scenarios and samplers,
   * no browser), for providers that compare passes; files go under `dir`.
   */
  measurePass(target: Target, dir: string): Promise<Results>;
}

/** A provider with its options resolved for one run. */
export interface ConfiguredProvider {
  defaults: ProfileDefaults;
  /** System packages start() needs (checked, and installed when allowed, before it is called). */
  systemPackages: SystemPackageSpec[];
  /** False when its runs must not have a browser under load (e.g. passes meant to be compared). */
  browserUnderLoad: boolean;
  start(ctx: ProviderStartContext): Promise<Target>;
}

/** Plugs what runs behind a target into the toolkit. */
export interface TargetProvider {
  /** Its config file section's key, e.g. "reference". */
  name: string;
  /** What it measures, in a few words: "the reference app". */
  label: string;
  /** The same in a sentence, for --help: how it gets the app running. */
  description: string;
  /** Its flags; accepted only when it is the target (a usage error with --target). */
  flags: NonNullable<ParseArgsConfig['options']>;
  /** Usage lines for its flags and its config section. */
  help: string;
  /** Its config file section (a strict object: unknown keys are errors). */
  section: z.ZodObject;
  /** Resolves its options; throws usage errors naming the flag or key at fault. */
  configure(input: ProviderInput): ConfiguredProvider;
  /** Cleans up what its runs left when their process died (stopped processes, folders), one log line each. */
  sweep?(ctx: { root: string; log: (line: string) => void }): Promise<void>;
}
