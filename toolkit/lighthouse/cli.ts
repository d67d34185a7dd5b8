import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIo } from '../cli/io.ts';
import { logger } from '../cli/io.ts';
import { parseFlags } from '../cli/args.ts';
import { EXIT, usageError } from '../errors.ts';
import { assertLoopbackUrl } from '../browser/index.ts';
import { runLighthouse } from './collect.ts';
import { formatAuditTable } from './format.ts';
import type { LighthouseAggregation, LighthouseAuth, LighthouseMode, LighthousePreset } from './types.ts';

export const LIGHTHOUSE_HELP = `Usage: npm run lighthouse -- --url URL [options]

Audits a page of a running app with Lighthouse 12 in the system Chromium and
keeps every run's JSON and HTML report.

  --url URL             page to audit, e.g. http://127.0.0.1:3000/dashboard (loopback only)
  --name NAME           page name used in file names and output (default: from the path)
  --runs N              runs per preset and mode (default 3)
  --preset LIST         mobile, desktop or mobile,desktop (default mobile)
  --mode LIST           cold, warm or cold,warm (default cold); warm loads the page once
                        first so the service worker and caches are primed
  --aggregate A         run reported: median (Lighthouse CI's: closest to median FCP and TTI),
                        optimistic (best perf score) or pessimistic (worst); default median
  --email E --password P
                        log in first: POST the login API from the page (default
                        /api/auth/login, see --login-api) or fill the form at --login-path
  --login-api PATH      JSON login endpoint
  --login-path PATH     login form page to fill instead of calling the API
  --out DIR             report folder (default reports/<time>/lighthouse)
  --chrome PATH         browser binary (default CHROME_PATH, else chromium on PATH)
  --allow-non-loopback  allow a host other than 127.0.0.1, localhost or [::1]
  --json                print the result as JSON on stdout
  --quiet               no progress lines on stderr
  --debug               stack traces on errors
  --help                this text

Exit codes: 0 done, 2 usage, browser, login or Lighthouse error.`;

const FLAGS = {
  url: { type: 'string' },
  name: { type: 'string' },
  runs: { type: 'string' },
  preset: { type: 'string' },
  mode: { type: 'string' },
  aggregate: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  'login-api': { type: 'string' },
  'login-path': { type: 'string' },
  out: { type: 'string' },
  chrome: { type: 'string' },
  'allow-non-loopback': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function listOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T[]): T[] {
  if (value === undefined) return fallback;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = items.find((item) => !allowed.includes(item as T));
  if (bad !== undefined || items.length === 0)
    throw usageError(`${flag}: "${value}" is not one of ${allowed.join(', ')} (comma-separated)`);
  return [...new Set(items)] as T[];
}

function runsOf(value: string | undefined): number {
  if (value === undefined) return 3;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 15)
    throw usageError(`--runs: "${value}" is not a whole number from 1 to 15`);
  return n;
}

function authOf(values: {
  email?: string;
  password?: string;
  'login-api'?: string;
  'login-path'?: string;
}): LighthouseAuth | undefined {
  if (values.email === undefined && values.password === undefined) return undefined;
  if (values.email === undefined || values.password === undefined)
    throw usageError('--email and --password go together');
  return { email: values.email, password: values.password, api: values['login-api'], loginPath: values['login-path'] };
}

/** "/dashboard" → "dashboard", "/" → "home", "/a/b?x" → "a-b". */
export function pageNameOf(pathname: string): string {
  const name = pathname.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_-]+/g, '-');
  return name === '' ? 'home' : name;
}

/** `npm run lighthouse`: audits one page N times per preset and mode; prints a table (stderr) and, with --json, the result (stdout). */
export async function runLighthouseCli(io: CliIo): Promise<number> {
  const { values } = parseFlags(io.argv, FLAGS, LIGHTHOUSE_HELP);
  if (values.help) {
    io.stdout.write(LIGHTHOUSE_HELP + '\n');
    return EXIT.ok;
  }
  if (values.url === undefined)
    throw usageError('--url is required', 'e.g. npm run lighthouse -- --url http://127.0.0.1:3000/dashboard');
  const url = assertLoopbackUrl(values.url, { allowNonLoopback: values['allow-non-loopback'], source: '--url' });
  const outDir = resolve(
    io.cwd,
    values.out ?? join('reports', new Date().toISOString().replace(/[:.]/g, '-'), 'lighthouse'),
  );
  const log = logger(io, values.quiet ?? false);
  const result = await runLighthouse({
    baseUrl: url.origin,
    pages: [{ name: values.name ?? pageNameOf(url.pathname), path: url.pathname + url.search, auth: authOf(values) }],
    presets: listOf<LighthousePreset>(values.preset, ['mobile', 'desktop'], '--preset', ['mobile']),
    modes: listOf<LighthouseMode>(values.mode, ['cold', 'warm'], '--mode', ['cold']),
    aggregation: listOf<LighthouseAggregation>(
      values.aggregate,
      ['median', 'optimistic', 'pessimistic'],
      '--aggregate',
      ['median'],
    )[0],
    runs: runsOf(values.runs),
    outDir,
    env: io.env,
    chromePath: values.chrome,
    allowNonLoopback: values['allow-non-loopback'],
    log,
    signal: io.signal,
  });
  writeFileSync(join(outDir, 'lighthouse.json'), JSON.stringify(result, null, 2) + '\n');
  log(formatAuditTable(result.audits));
  log(`reports: ${outDir}`);
  if (values.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return EXIT.ok;
}
