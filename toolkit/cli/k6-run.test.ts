/** The k6-compatible CLI, in-process: flags, output files, exit codes, progress on stderr. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import type { CliIo } from './io.ts';
import { k6FlagError, runK6Cli } from './k6-run.ts';

const SCRIPT = join(import.meta.dirname, '..', 'runner', 'fixtures', 'generic.js');
const tmp = mkdtempSync(join(tmpdir(), 'perfkit-cli-'));
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  baseUrl = await listenLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  rmSync(tmp, { recursive: true, force: true });
});

function io(argv: string[], env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    argv,
    env,
    cwd: tmp,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    out: () => out,
    err: () => err,
  };
}

describe('k6 run CLI', () => {
  it('runs a script with -e, --vus/--iterations, --summary-export and both --out kinds', async () => {
    const cli = io([
      'run',
      SCRIPT,
      '-e',
      `BASE_URL=${baseUrl}`,
      '--vus',
      '2',
      '--iterations',
      '5',
      '--summary-export',
      'export.json',
      '--out',
      'json=samples.ndjson',
      '--out',
      'perfkit-timeseries=series.json',
      '--summary-trend-stats',
      'avg,p(99)',
    ]);
    expect(await runK6Cli(cli)).toBe(0);
    const exported = JSON.parse(readFileSync(join(tmp, 'export.json'), 'utf8')) as {
      metrics: Record<string, Record<string, number>>;
    };
    expect(exported.metrics.iterations?.count).toBe(5);
    expect(Object.keys(exported.metrics.http_req_duration ?? {}).sort()).toEqual(['avg', 'p(99)']);
    const points = readFileSync(join(tmp, 'samples.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"metric":"iterations","type":"Point"'));
    expect(points).toHaveLength(5);
    const series = JSON.parse(readFileSync(join(tmp, 'series.json'), 'utf8')) as Array<{ iterations: number }>;
    expect(series.reduce((a, p) => a + p.iterations, 0)).toBe(5);
    expect(cli.out()).toContain('iterations');
    // k6 2.x: the progress goes to stdout, its last line after the summary.
    expect(cli.out()).toMatch(
      /█ TOTAL RESULTS[^]*\n\nrunning \([\d.ms]+\), 0\/2 VUs, 5 complete and 0 interrupted iterations\n$/,
    );
    expect(cli.err()).not.toContain('running (');
  });

  it('exits 99 when a threshold fails, and prints no progress with --quiet', async () => {
    const cli = io([
      'run',
      SCRIPT,
      '-q',
      '-e',
      `BASE_URL=${baseUrl}`,
      '-e',
      'OPTIONS={"iterations":2,"thresholds":{"iterations":["count>5"]}}',
    ]);
    expect(await runK6Cli(cli)).toBe(99);
    expect(cli.out()).not.toContain('running (');
    expect(cli.out()).not.toContain('execution: local');
    expect(cli.out()).toContain('█ TOTAL RESULTS');
    expect(cli.err()).toContain("thresholds on metrics 'iterations' have been crossed");
  });

  it('rejects a bad command line with a usage error', async () => {
    await expect(runK6Cli(io(['bench', SCRIPT]))).rejects.toThrow(/expected "run <script>"/);
    await expect(runK6Cli(io(['run', SCRIPT, '--out', 'influxdb=http://x']))).rejects.toThrow(/unsupported output/);
    const help = io(['--help']);
    expect(await runK6Cli(help)).toBe(0);
    expect(help.out()).toContain('--summary-export');
  });

  it('writes setup() data into --summary-export as k6 does: first key, object keys sorted', async () => {
    const cli = io(['run', SCRIPT, '-q', '-e', `BASE_URL=${baseUrl}`, '--summary-export', 'setup.json']);
    expect(await runK6Cli(cli)).toBe(0);
    const text = readFileSync(join(tmp, 'setup.json'), 'utf8');
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['setup_data', 'root_group', 'metrics']);
    expect(text).toContain('"setup_data": {\n        "n": 3,\n        "token": "from-setup"\n    },');
  });
});

describe('k6 run CLI: k6 2.x flags and flag errors', () => {
  const thresholdRun = (extra: string[]): string[] => [
    'run',
    SCRIPT,
    '-e',
    `BASE_URL=${baseUrl}`,
    '-e',
    'OPTIONS={"iterations":2,"thresholds":{"iterations":["count>5"]}}',
    ...extra,
  ];

  it.each([
    [['--no-summary'], 'unknown flag: --no-summary'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['--vus'], 'flag needs an argument: --vus'],
  ])('%j: logged at error level as k6 logs it, exit 255, nothing run', async (flags, message) => {
    // Last, so that --vus has no value.
    const cli = io([...thresholdRun([]), '--summary-export', 'never.json', ...flags]);
    expect(await runK6Cli(cli)).toBe(255);
    expect(cli.err()).toMatch(new RegExp(`^time="[^"]+" level=error msg="${message}"\n`));
    expect(cli.err()).toContain('--help');
    expect(cli.out()).toBe('');
    expect(existsSync(join(tmp, 'never.json'))).toBe(false);
  });

  it('names parseArgs errors in pflag words, and leaves other errors alone', () => {
    expect(k6FlagError(new Error('boom'))).toBeNull();
    expect(k6FlagError(Object.assign(new TypeError("Unknown option '--summary'"), { code: 'X' }))).toBeNull();
  });

  it.each(['legacy', 'x'])('--summary-mode %s: "invalid summary mode", exit 255 before the test', async (mode) => {
    const cli = io([...thresholdRun(['--summary-mode', mode]), '--summary-export', `mode-${mode}.json`]);
    expect(await runK6Cli(cli)).toBe(255);
    expect(cli.err()).toMatch(/level=error msg="invalid summary mode"\n/);
    expect(cli.err()).toContain('compact (the default), full or disabled');
    expect(cli.out()).toBe('');
    expect(existsSync(join(tmp, `mode-${mode}.json`))).toBe(false);
  });

  it('--summary-mode disabled (or K6_SUMMARY_MODE): no summary, no export, thresholds still judged', async () => {
    for (const [flags, env] of [
      [['--summary-mode', 'disabled'], {}],
      [[], { K6_SUMMARY_MODE: 'disabled' }],
    ] as const) {
      const cli = io([...thresholdRun([...flags]), '--summary-export', 'disabled.json'], env);
      expect(await runK6Cli(cli)).toBe(99);
      expect(cli.out()).not.toContain('█');
      expect(cli.out()).toContain('execution: local');
      expect(cli.out()).toMatch(/\n\nrunning \([\d.ms]+\), 0\/1 VUs, 2 complete and 0 interrupted iterations\n$/);
      expect(existsSync(join(tmp, 'disabled.json'))).toBe(false);
      expect(cli.err()).toContain("thresholds on metrics 'iterations' have been crossed");
    }
  });

  it('--summary-mode full adds the scenario section; --no-color is accepted', async () => {
    const options = { scenarios: { main: { executor: 'shared-iterations', iterations: 2 } } };
    const cli = io([
      'run',
      SCRIPT,
      '-e',
      `BASE_URL=${baseUrl}`,
      '-e',
      `OPTIONS=${JSON.stringify(options)}`,
      ...['--summary-mode', 'full', '--no-color', '-q'],
    ]);
    expect(await runK6Cli(cli)).toBe(0);
    expect(cli.out()).toContain('█ SCENARIO: main');
    expect(cli.out()).toContain('http_req_waiting');
  });

  it('refuses p(101) like k6 2.x: its message at error level, exit 104, no export', async () => {
    const cli = io([
      'run',
      SCRIPT,
      '-e',
      `BASE_URL=${baseUrl}`,
      '-e',
      'OPTIONS={"thresholds":{"http_req_duration":["p(101)<5000"]}}',
      '--summary-export',
      'p101.json',
    ]);
    expect(await runK6Cli(cli)).toBe(104);
    expect(cli.err()).toContain(
      'level=error msg="failed parsing threshold expression\'s \\"p(101)<5000\\" left hand side; reason: malformed percentile value, provide a number between 0 and 100"',
    );
    expect(cli.err()).toContain("fix: in options.thresholds['http_req_duration']");
    expect(existsSync(join(tmp, 'p101.json'))).toBe(false);
  });
});
