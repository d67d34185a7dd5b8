/**
 * What the toolkit measures: a Target, and the samplers that watch it while
 * the scenarios run. The toolkit knows nothing else about what runs behind a
 * target; a target provider (the repo's reference rig) or `--target URL` makes one.
 */
import type {
  CacheResults,
  DatabaseResults,
  FrontendResults,
  ProcessUsage,
  Results,
  ScalingResults,
} from '../results/index.ts';

/** A page the browser measures on the target (Lighthouse, the browser under load). */
export interface TargetPage {
  name: string;
  /** Path on the target, e.g. /dashboard. */
  path: string;
  /** Log in (with the target's auth) before loading it. */
  auth: boolean;
}

/** How the browser logs in before pages marked `auth`: the app's login form, or its JSON login API. */
export interface TargetAuth {
  email: string;
  password: string;
  /** The login form's path (e.g. /login); without it the browser POSTs to the app's login API. */
  loginPath?: string;
  /** CSS selectors of the form's fields, when not the usual email/username, password and submit inputs. */
  fields?: { email?: string | undefined; password?: string | undefined; submit?: string | undefined };
}

/** How results.json names a target and what its provider records about it. */
export interface TargetIdentity {
  /** Recorded as meta.config.target: e.g. 'reference app', or the URL given. */
  label: string;
  /** Settings of whatever runs behind the target, recorded in meta.config (never secrets). */
  settings: Record<string, unknown>;
}

/** Parts of the result model one sampler measured; the assembler puts them into results.json. */
export interface SamplerPieces {
  database?: DatabaseResults;
  cache?: CacheResults;
  /** The app's own frontend figures, used where the browser measured none. */
  frontend?: Pick<FrontendResults, 'loadTime' | 'renderTime' | 'bundleSize'>;
  resources?: ProcessUsage[];
  scaling?: ScalingResults;
}

/** What a sampler is told when the scenarios start. */
export interface SamplerContext {
  baseUrl: string;
  /** The run's clock starts here (ms since epoch): results' `t` are seconds since then. */
  runStartMs: number;
  log: (line: string) => void;
}

/** A running sampler: stop() ends it and hands back what it measured. */
export interface RunningSampler {
  stop(): Promise<SamplerPieces>;
}

/** Watches the target (or the machine) while the scenarios run. */
export interface Sampler {
  name: string;
  start(ctx: SamplerContext): RunningSampler;
}

/** What one run measures: where to send load, which pages to open, what to sample, and how to stop it. */
export interface Target {
  baseUrl: string;
  pages: TargetPage[];
  auth?: TargetAuth;
  samplers: Sampler[];
  /** webpack stats of the target's client build, for the bundle analysis. */
  bundleStats?: string;
  identity: TargetIdentity;
  /** Adds what only the target's provider knows once the results are assembled (e.g. a comparison of passes). */
  completeResults?(results: Results): void;
  /** Stops whatever was started for this target (nothing for a URL). */
  stop(): Promise<void>;
}
