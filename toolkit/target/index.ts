/** What is measured: a Target (base URL, pages, auth, samplers, stop), built from a URL or by a target provider. */
export type {
  RunningSampler,
  Sampler,
  SamplerContext,
  SamplerPieces,
  Target,
  TargetAuth,
  TargetIdentity,
  TargetPage,
} from './types.ts';
export { assertLoopback, assertReachable, targetFromUrl } from './from-url.ts';
export type { UrlTargetOptions } from './from-url.ts';
export { processSampler } from './process-sampler.ts';
export type { ProcessGroup, ResourceWatch } from './process-sampler.ts';
export { performanceSampler } from './performance-sampler.ts';
export type { PerformanceReading, PerformanceSamplerOptions } from './performance-sampler.ts';
export type { FlagValues } from '../cli/args.ts';
export type {
  ConfiguredProvider,
  Profile,
  ProfileDefaults,
  ProviderInput,
  ProviderStartContext,
  TargetProvider,
} from './provider.ts';
