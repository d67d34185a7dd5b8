/** The loadtest stage's input: one run's configuration, as the CLI resolved it. */
import type { ConfiguredProvider, TargetAuth, TargetPage } from '../target/index.ts';

/** Everything one `loadtest` run needs, resolved from defaults → config file → env → flags. */
export interface LoadtestConfig {
  /** Absolute project root (cwd). */
  root: string;
  /** External target URL; undefined means: start the provider's target. */
  target: string | undefined;
  /** The default target's provider, configured for this run; undefined with --target or --import-k6. */
  provider: ConfiguredProvider | undefined;
  /** The provider's name (e.g. "reference"), for the run folder's name; undefined with --target. */
  providerName?: string | undefined;
  scenarios: string[];
  budgetPath: string;
  baselinePath: string | undefined;
  /** Compare against an explicit baseline even when its identity differs (--baseline-any). */
  baselineAny: boolean;
  engine: 'builtin' | 'k6' | 'auto';
  /** How the built-in runner's VUs make plain-http requests (--http-transport, PERFKIT_HTTP_TRANSPORT). */
  httpTransport: 'auto' | 'vu' | 'shared';
  env: Record<string, string>;
  outDir: string;
  ci: boolean;
  lighthouse: { enabled: boolean; runs: number; presets: ('mobile' | 'desktop')[]; pages: TargetPage[] };
  /** How the browser logs in on pages marked auth (the provider's default account). */
  auth: TargetAuth | undefined;
  bundle: { enabled: boolean; statsPath: string | undefined };
  browserUnderLoad: { enabled: boolean; intervalMs: number };
  json: boolean;
  quiet: boolean;
  debug: boolean;
  /** Environment variables passed through to child tools (K6_BIN, CHROME_PATH, DATABASE_URL…). */
  processEnv: Record<string, string | undefined>;
  githubStepSummary: string | undefined;
  /** k6 NDJSON sample files (`k6 run --out json=…`, one per k6-operator runner) to judge instead of generating load here. */
  importNdjson: string[];
  /** A k6 --summary-export file giving the thresholds of the imported run. */
  importSummaryExport: string | undefined;
  /** The k6 script the imported runs ran: its thresholds (read as the built-in runner reads options) judge the import. */
  importScript: string | undefined;
}
