/** The k6-compatible CLI, in-process: flags, output files, exit codes, progress on stderr. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import type { CliIo } from './io.ts';
import { runK6Cli } from './k6-run.ts';

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

function io(argv: string[]): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    argv,
    env: {},
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
});
