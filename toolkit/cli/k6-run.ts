/** `k6 run`-compatible command line for the built-in runner (and real k6 via --engine). */
import { envSettings } from './config.ts';
import { parseArgs } from 'node:util';
import { runScript } from '../engines.ts';
import { usageError } from '../errors.ts';
import { formatLog, K6_EXIT_CODE, type EngineChoice, type OptionOverrides } from '../k6-core/index.ts';
import type { CliIo } from './io.ts';

export const HELP = `Usage: npm run k6 -- run <script> [flags]

Runs a k6 script (JS or TS) with the built-in k6-compatible runner or real k6.

Flags:
  -e, --env KEY=VALUE           add to __ENV (repeatable); the process environment is included, as in k6
  -u, --vus N                   VUs (with --duration/--iterations replaces the script's scenarios)
  -d, --duration D              test duration, e.g. 30s, 1m30s
  -i, --iterations N            total iterations shared by the VUs
  -s, --stage D:T               a ramping stage, e.g. 10s:20 (repeatable)
      --summary-export FILE     write k6's --summary-export JSON
  -o, --out json=FILE           NDJSON samples like k6's --out json
  -o, --out perfkit-timeseries=FILE   per-second aggregates as JSON
      --summary-trend-stats S   e.g. "avg,min,med,max,p(90),p(95),p(99)"
      --user-agent UA           User-Agent of HTTP requests (default "Grafana k6/2.2.0"; K6_USER_AGENT too)
      --engine builtin|k6|auto  auto: real k6 when K6_BIN or k6 on PATH, else built-in (default builtin)
      --http-transport vu|shared|auto   plain-http requests on each VU's own sockets (vu, needs a C compiler
                                to build once) or the main thread's pool (shared); default auto, or
                                PERFKIT_HTTP_TRANSPORT
      --vu-model isolate|shared|auto   built-in engine: a worker thread per VU (isolate), many VUs per
                                thread, each in its own context (shared; a script it cannot run as k6 does
                                is refused, naming the construct), or shared when the script allows it, else
                                isolate with one warning line (auto, default); or PERFKIT_VU_MODEL
      --init-timeout D          built-in engine: longest a VU's init code may run (default 60s, 0 = none); longer
                                exits 107
      --summary-mode MODE       compact (default), full (adds per-scenario and per-group sections and every
                                http_req_* trend) or disabled (no summary, no handleSummary, no --summary-export);
                                or K6_SUMMARY_MODE. As k6 2.x: legacy and --no-summary are gone
      --no-color                accepted for k6 compatibility (the built-in runner never colours its output)
  -q, --quiet                   no execution description and no progress on stdout (the summary stays)
  -h, --help                    this help

Exit codes as k6: 0 ok, 99 thresholds failed, 104 invalid options, 105 interrupted, 107 script error, 108 aborted by
the script, 255 an unknown flag or an invalid --summary-mode.
`;

const OPTIONS = {
  env: { type: 'string', short: 'e', multiple: true },
  vus: { type: 'string', short: 'u' },
  duration: { type: 'string', short: 'd' },
  iterations: { type: 'string', short: 'i' },
  stage: { type: 'string', short: 's', multiple: true },
  'summary-export': { type: 'string' },
  'summary-mode': { type: 'string' },
  out: { type: 'string', short: 'o', multiple: true },
  'summary-trend-stats': { type: 'string' },
  'user-agent': { type: 'string' },
  engine: { type: 'string' },
  'http-transport': { type: 'string' },
  'vu-model': { type: 'string' },
  'init-timeout': { type: 'string' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * A flag error in k6's (cobra/pflag's) words: `unknown flag: --x`, `unknown shorthand flag: 'x' in -x`,
 * `flag needs an argument: --x`; null for an error that is not node:util parseArgs' own.
 */
export function k6FlagError(err: unknown): string | null {
  if (!(err instanceof Error) || !('code' in err)) return null;
  const code = String(err.code);
  const flag = /'(-[^' ,]+)/.exec(err.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    if (flag.startsWith('--')) return `unknown flag: ${flag}`;
    return `unknown shorthand flag: '${flag.slice(1, 2)}' in ${flag}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const long = /--([\w-]+)/.exec(err.message)?.[1];
    return long ? `flag needs an argument: --${long}` : err.message;
  }
  return code.startsWith('ERR_PARSE_ARGS') ? err.message : null;
}

/** Parses the command line; a flag error is logged as k6 2.x logs it (level=error) and becomes exit 255. */
function parseCommandLine(io: CliIo): ReturnType<typeof parse> | number {
  try {
    return parse(io.argv);
  } catch (err) {
    const message = k6FlagError(err);
    if (message === null) throw err;
    io.stderr.write(formatLog('error', message) + '\n');
    io.stderr.write('see the flags with: npm run k6 -- --help\n');
    return K6_EXIT_CODE.genericError;
  }
}

const parse = (args: string[]) => parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

function parseEnvPairs(list: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of list) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`-e ${pair}: expected KEY=VALUE`, 'write -e BASE_URL=http://127.0.0.1:3000');
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function parseOuts(list: string[]): { jsonOut?: string; timeseriesOut?: string } {
  const out: { jsonOut?: string; timeseriesOut?: string } = {};
  for (const o of list) {
    const [kind, file] = [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)];
    if (kind === 'json' && file) out.jsonOut = file;
    else if (kind === 'perfkit-timeseries' && file) out.timeseriesOut = file;
    else
      throw usageError(
        `--out ${o}: unsupported output`,
        'use --out json=FILE or --out perfkit-timeseries=FILE (or real k6 for other outputs)',
      );
  }
  return out;
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${flag} ${v}: expected a positive integer`);
  return n;
}

function overrides(v: Record<string, string | boolean | string[] | undefined>): OptionOverrides {
  const o: OptionOverrides = {};
  const vus = positiveInt(v.vus as string | undefined, '--vus');
  const iterations = positiveInt(v.iterations as string | undefined, '--iterations');
  if (vus !== undefined) o.vus = vus;
  if (iterations !== undefined) o.iterations = iterations;
  if (typeof v.duration === 'string') o.duration = v.duration;
  const stages = (v.stage as string[] | undefined) ?? [];
  if (stages.length > 0) {
    o.stages = stages.map((s) => {
      const [duration = '', target = ''] = s.split(':');
      if (!duration || !/^\d+$/.test(target))
        throw usageError(`--stage ${s}: expected DURATION:TARGET`, 'write --stage 30s:10');
      return { duration, target: Number(target) };
    });
  }
  if (typeof v['user-agent'] === 'string') o.userAgent = v['user-agent'];
  if (typeof v['summary-trend-stats'] === 'string')
    o.summaryTrendStats = v['summary-trend-stats']
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return o;
}

/** The `k6` command: returns k6's exit code. */
export async function runK6Cli(io: CliIo): Promise<number> {
  const parsed = parseCommandLine(io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [cmd, script, ...rest] = positionals;
  if (cmd !== 'run' || !script || rest.length > 0)
    throw usageError(`expected "run <script>", got "${positionals.join(' ')}"`);
  const engine = values.engine ?? 'builtin';
  if (!['builtin', 'k6', 'auto'].includes(engine)) throw usageError(`--engine ${engine}: expected builtin, k6 or auto`);
  const transport = values['http-transport'] ?? envSettings(io.env).httpTransport ?? 'auto';
  if (!['vu', 'shared', 'auto'].includes(transport))
    throw usageError(`--http-transport ${transport}: expected vu, shared or auto`);
  const vuModel = values['vu-model'];
  if (vuModel !== undefined && !['isolate', 'shared', 'auto'].includes(vuModel))
    throw usageError(`--vu-model ${vuModel}: expected isolate, shared or auto`);
  const systemEnv = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined));
  const outcome = await runScript({
    script,
    env: { ...systemEnv, ...parseEnvPairs(values.env ?? []) },
    options: overrides(values),
    engine: engine as EngineChoice,
    httpTransport: transport as 'vu' | 'shared' | 'auto',
    vuModel: vuModel as 'isolate' | 'shared' | 'auto' | undefined,
    summaryExport: values['summary-export'],
    ...parseOuts(values.out ?? []),
    quiet: values.quiet ?? false,
    summaryMode: values['summary-mode'] ?? nonEmpty(io.env.K6_SUMMARY_MODE),
    initTimeout: values['init-timeout'],
    stdout: io.stdout,
    stderr: io.stderr,
    cwd: io.cwd,
    signal: io.signal,
    processEnv: io.env,
  });
  return outcome.exitCode;
}
