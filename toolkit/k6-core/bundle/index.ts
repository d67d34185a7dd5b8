/** Script bundling (esbuild) and the allow-list of k6 modules the built-in engine provides. */
export {
  SUPPORTED_K6_MODULES,
  bundleScript,
  bundleForK6,
  checkScript,
  type SupportedK6Module,
  type K6ModuleTarget,
  type BundleEntry,
} from './bundle.ts';
