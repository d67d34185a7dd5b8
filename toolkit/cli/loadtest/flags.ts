/** The loadtest command's flags and help, composed with the flags of the default target's provider. */
import { parseArgs } from 'node:util';
import { usageError } from '../../errors.ts';
import type { FlagValues, TargetProvider } from '../../target/index.ts';

/** The toolkit's own flags. */
const LOADTEST_FLAGS = {
  target: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  budget: { type: 'string' },
  baseline: { type: 'string' },
  'baseline-any': { type: 'boolean' },
  engine: { type: 'string' },
  'http-transport': { type: 'string' },
  'lighthouse-runs': { type: 'string' },
  'no-lighthouse': { type: 'boolean' },
  'no-bundle': { type: 'boolean' },
  'bundle-stats': { type: 'string' },
  'no-browser-under-load': { type: 'boolean' },
  env: { type: 'string', short: 'e', multiple: true },
  ci: { type: 'boolean' },
  'import-k6': { type: 'string', multiple: true },
  'import-summary-export': { type: 'string' },
  script: { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The toolkit's flags as parsed (every one optional). */
export interface LoadtestFlags {
  target?: string;
  scenario?: string[];
  budget?: string;
  baseline?: string;
  'baseline-any'?: boolean;
  engine?: string;
  'http-transport'?: string;
  'lighthouse-runs'?: string;
  'no-lighthouse'?: boolean;
  'no-bundle'?: boolean;
  'bundle-stats'?: string;
  'no-browser-under-load'?: boolean;
  env?: string[];
  ci?: boolean;
  'import-k6'?: string[];
  'import-summary-export'?: string;
  script?: string;
  config?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  help?: boolean;
}

/** Parses argv into the toolkit's flags and the provider's; an unknown or malformed flag is a usage error naming it. */
export function parseLoadtestArgs(
  argv: string[],
  provider?: TargetProvider,
): { flags: LoadtestFlags; providerFlags: FlagValues } {
  let values: FlagValues;
  try {
    const options = { ...(provider?.flags ?? {}), ...LOADTEST_FLAGS };
    values = parseArgs({ args: argv, allowPositionals: false, strict: true, options }).values as FlagValues;
  } catch (err) {
    throw usageError((err as Error).message);
  }
  const providerFlags: FlagValues = {};
  for (const key of Object.keys(provider?.flags ?? {}))
    if (values[key] !== undefined && !(key in LOADTEST_FLAGS)) providerFlags[key] = values[key];
  return { flags: values as LoadtestFlags, providerFlags };
}

/** A flag of the provider given with --target: it would change something that --target does not start. */
export function refuseProviderFlags(provider: TargetProvider, given: FlagValues, targetFrom: string): void {
  const [first] = Object.keys(given);
  if (first === undefined) return;
  const via = targetFrom === '--target' ? '--target' : `a target from ${targetFrom}`;
  throw usageError(
    `--${first} is an option of ${provider.label}, which ${via} replaces`,
    `drop --${first}, or drop --target to measure ${provider.label}`,
  );
}

/** What --help says about the defaults: the provider's for the default profile and for --ci. */
export interface HelpDefaults {
  scenarios: string[];
  budget: string | undefined;
  ciBudget: string | undefined;
}

const budgetLine = (d: HelpDefaults): string =>
  d.budget
    ? `(default ${d.budget}${d.ciBudget && d.ciBudget !== d.budget ? `; --ci: ${d.ciBudget}` : ''};`
    : '(required unless';

const TOOLKIT_HELP = (provider: TargetProvider | undefined, d: HelpDefaults) => `Usage: npm run loadtest -- [options]

Runs the whole measurement pipeline: target up → scenarios (+ browser under load) → Lighthouse →
bundle → results.json → budgets → verdicts.json → report → target down.
${provider ? `Without --target it measures ${provider.description}.` : 'The target is --target URL.'}

Options:
  --target URL            measure an app you started yourself${provider ? ` instead of ${provider.label}` : ''}
                          (loopback addresses only: 127.0.0.1, localhost, [::1]); with no scenario or
                          budget given: a generic smoke pass and a constant-arrival-rate load over the
                          config file's "pages" (default /), judged by budgets/generic.json
  --scenario NAME         scenario(s) from scenarios/ or paths to k6 scripts (repeat or comma-separate)${d.scenarios.length ? `;\n                          default: ${d.scenarios.join(', ')}` : ''}
  --budget FILE           budget file ${budgetLine(d)}
                          a single --scenario NAME with a budgets/NAME.json uses that)
  --baseline FILE         results.json of an earlier run to compare against ('latest' = newest comparable,
                          complete run in reports/); a FILE of another target, profile, scenario set, budget,
                          engine or Lighthouse presets is refused (exit 2)
  --baseline-any          compare against --baseline FILE even when it is not comparable
  --engine E              builtin | k6 | auto (default auto: k6 from K6_BIN or PATH, else built-in)
  --http-transport T      built-in runner: vu | shared | auto (default auto; PERFKIT_HTTP_TRANSPORT)
  --lighthouse-runs N     Lighthouse runs per page and preset (per-figure median judged; default 5, --ci 3)
  --no-lighthouse         skip Lighthouse        --no-bundle   skip bundle analysis
  --no-browser-under-load skip the periodic page loads during the scenarios
  --bundle-stats FILE     webpack stats (stats.json) of the app's build, for the bundle analysis
  -e, --env KEY=VALUE     environment for the scenarios (repeatable), e.g. -e DURATION=30s
  --import-k6 FILES       judge results real k6 produced elsewhere (k6-operator, k6 cloud export):
                          comma-separated --out json files, merged; no load is generated here
  --import-summary-export FILE  that run's --summary-export file (for its thresholds)
  --script FILE           with --import-k6: the k6 script the runs ran; every one of its thresholds
                          (tagged, abortOnFail) is judged on the merged samples. Default budget of an
                          import: budgets/generic.json
  --ci                    quick profile (under 5 minutes) for a CI gate
  --config FILE           config file (default perfkit.config.json when present)
  --out DIR               where reports go (default reports/)
  --json                  print only the run's summary JSON on stdout
  --quiet                 no progress output    --debug   stack traces on errors
  -h, --help              this text`;

/** The command's help: the toolkit's options, then the provider's. */
export function loadtestHelp(provider: TargetProvider | undefined, defaults: HelpDefaults): string {
  return [
    TOOLKIT_HELP(provider, defaults),
    ...(provider ? ['', provider.help] : []),
    '',
    'Every config key, flag and environment variable: docs/config.md (in the perfkit package).',
    '',
    'Exit codes: 0 all budgets pass (warnings allowed), 1 a budget failed or a part (browser under load,\nLighthouse, bundle analysis) failed, 2 usage, config or infrastructure error.',
  ].join('\n');
}

/** True when --help was asked for (checked before anything else is validated). */
export const wantsHelp = (argv: string[]): boolean => argv.includes('--help') || argv.includes('-h');
