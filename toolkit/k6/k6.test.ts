/**
 * The real-k6 engine against each real k6 found (K6_BIN, PERFKIT_K6_BINS, PATH, ../shared/tools/k6):
 * its command line, summary export and NDJSON whatever the summary settings, stderr kept in the run
 * folder, progress, exit codes and the version check. Skips with one line when no k6 is found.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRealK6s, HOW_TO_ENABLE_K6 } from '../../test/support/k6-bins.ts';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import type { Progress } from '../k6-core/index.ts';
import { findK6, k6RunArgs, k6Version, locateK6, parseProgressLine, runWithK6 } from './index.ts';

const SCRIPT = join(import.meta.dirname, '..', 'runner', 'fixtures', 'generic.js');
const REAL = findRealK6s();
let server: Server;
let baseUrl = '';
const tmp = mkdtempSync(join(tmpdir(), 'perfkit-k6-test-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow') setTimeout(() => res.end('slow'), 40);
    else res.end('ok');
  });
  baseUrl = await listenLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  rmSync(tmp, { recursive: true, force: true });
});

const script = (name: string, body: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, body);
  return path;
};

describe('the k6 command line', () => {
  it('never passes --no-summary, always asks for the export and NDJSON, and only 1.x gets --address', () => {
    const files = { summaryExport: '/r/s.json', ndjson: '/r/s.ndjson', bundle: '/r/b.js' };
    for (const major of [1, 2]) {
      const args = k6RunArgs({ major }, { script: 'x.js', noSummary: true, quiet: true }, files);
      expect(args).not.toContain('--no-summary');
      expect(args.join(' ')).toContain('--summary-export /r/s.json --out json=/r/s.ndjson');
      expect(args.includes('--address')).toBe(major === 1);
      expect(args.at(-1)).toBe('/r/b.js');
    }
    const disabled = k6RunArgs({ major: 2 }, { script: 'x.js', summaryMode: 'disabled' }, files);
    expect(disabled.join(' ')).toContain('--summary-mode disabled');
  });

  it('reads both versions of the progress line', () => {
    expect(parseProgressLine('running (01.0s), 2/2 VUs, 6 complete and 0 interrupted iterations')).toEqual({
      elapsedMs: 1000,
      totalMs: 0,
      vus: 2,
      vusMax: 2,
      iterations: 6,
      interrupted: 0,
    });
    expect(parseProgressLine('running (1m02.5s), 0/3 VUs, 9 complete and 1 interrupted iterations')?.elapsedMs).toBe(
      62_500,
    );
    expect(parseProgressLine('main   [  33% ] 2 VUs  1.0s/3s')).toBeNull();
  });
});

if (REAL.length === 0) describe('real k6', () => it.skip(HOW_TO_ENABLE_K6, () => {}));

for (const k6 of REAL) {
  describe(`k6 v${k6.version}`, () => {
    it('is found through K6_BIN or PATH, and its version is read', async () => {
      expect(findK6({ processEnv: { K6_BIN: k6.bin } })).toBe(k6.bin);
      expect(findK6({ processEnv: { K6_BIN: '/nope/k6', PATH: '' } })).toBeNull();
      const dir = mkdtempSync(join(tmp, 'path-'));
      symlinkSync(k6.bin, join(dir, 'k6'));
      expect(locateK6({ processEnv: { PATH: `/nonexistent:${dir}` } })).toEqual({
        bin: join(dir, 'k6'),
        source: 'PATH',
      });
      expect((await k6Version(k6.bin)).version).toBe(k6.version);
    });

    it('with noSummary still reads the export and NDJSON, keeps stderr in the run folder, records the version', async () => {
      const outDir = join(tmp, `run-${k6.version}`);
      let stdout = '';
      const out = await runWithK6({
        script: SCRIPT,
        k6Bin: k6.bin,
        env: {
          BASE_URL: baseUrl,
          OPTIONS: JSON.stringify({
            vus: 2,
            iterations: 6,
            thresholds: { iterations: ['count==6'], http_reqs: ['count<1'] },
          }),
        },
        outDir,
        quiet: true,
        noSummary: true,
        processEnv: { PATH: process.env.PATH },
        stdout: { write: (s: string) => (stdout += s) },
      });
      expect(out.engine).toBe('k6');
      expect(out.engineVersion).toBe(k6.version);
      expect(out.exitCode).toBe(99);
      expect(out.aborted).toBeNull();
      expect(out.summary?.metrics.iterations?.values.count).toBe(6);
      expect(out.thresholds.map((t) => [t.metric, t.source, t.ok]).sort()).toEqual([
        ['http_reqs', 'count<1', false],
        ['iterations', 'count==6', true],
      ]);
      expect(existsSync(join(outDir, 'summary-export.json'))).toBe(true);
      expect(readFileSync(join(outDir, 'k6.stderr.log'), 'utf8')).toMatch(/teardown got .*from-setup/);
      expect(readFileSync(join(outDir, 'k6.stdout.log'), 'utf8')).toContain('THRESHOLDS');
      expect(stdout).not.toContain('THRESHOLDS');
      expect(out.timeseries.reduce((a, p) => a + p.iterations, 0)).toBe(6);
    }, 60_000);

    it('under --summary-mode disabled (no export from k6) judges every threshold from the NDJSON', async () => {
      const s = script(
        `disabled-${k6.version}.js`,
        `import http from 'k6/http';
export const options = { iterations: 4, thresholds: {
  http_req_duration: ['p(95)<5000', { threshold: 'max<60000', abortOnFail: true }],
  'http_req_duration{name:slow}': ['p(95)<20'], checks: ['rate>0.9'] } };
export default function () { http.get(__ENV.BASE_URL + '/'); http.get(__ENV.BASE_URL + '/slow', { tags: { name: 'slow' } }); }`,
      );
      const out = await runWithK6({
        script: s,
        k6Bin: k6.bin,
        env: { BASE_URL: baseUrl },
        summaryMode: 'disabled',
        outDir: join(tmp, `disabled-${k6.version}`),
        quiet: true,
        processEnv: { PATH: process.env.PATH },
      });
      expect(out.exitCode).toBe(99);
      expect(out.summaryExportPath).toBeUndefined();
      expect(out.summary?.metrics.http_reqs?.values.count).toBe(8);
      const verdicts = Object.fromEntries(out.thresholds.map((t) => [`${t.metric} ${t.source}`, t.ok]));
      // No check ran: k6 leaves `checks rate>0.9` uncrossed (it has no value), and so does the import.
      expect(verdicts).toEqual({
        'checks rate>0.9': true,
        'http_req_duration p(95)<5000': true,
        'http_req_duration max<60000': true,
        'http_req_duration{name:slow} p(95)<20': false,
      });
    }, 60_000);

    it("passes k6's exit codes through with their meaning, and reports live progress", async () => {
      const progress: Progress[] = [];
      const aborted = await runWithK6({
        script: SCRIPT,
        k6Bin: k6.bin,
        env: { BASE_URL: baseUrl, ABORT_AT: '3', SLEEP: '0.3', OPTIONS: JSON.stringify({ vus: 1, duration: '10s' }) },
        outDir: join(tmp, `abort-${k6.version}`),
        quiet: true,
        onProgress: (p) => progress.push(p),
        processEnv: { PATH: process.env.PATH },
      });
      expect(aborted.exitCode).toBe(108);
      expect(aborted.aborted).toBe('k6 exited with 108 (aborted by the script (exec.test.abort()))');
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)!.iterations).toBeGreaterThanOrEqual(3);
      const broken = script(`broken-${k6.version}.js`, 'export default function () { if (( }\n');
      const failed = await runWithK6({
        script: broken,
        k6Bin: k6.bin,
        outDir: join(tmp, `broken-${k6.version}`),
        quiet: true,
        processEnv: { PATH: process.env.PATH },
      }).catch((e: unknown) => e);
      // The bundler refuses the syntax error before k6 runs, in k6's words: the file URL, then Line l:c.
      expect(String((failed as Error).message ?? failed)).toMatch(/broken-[\d.]+\.js: Line 1:\d+ /);
      const throwing = script(
        `throws-${k6.version}.js`,
        'throw new Error("init boom");\nexport default function () {}\n',
      );
      mkdirSync(join(tmp, `throws-${k6.version}`), { recursive: true });
      const threw = await runWithK6({
        script: throwing,
        k6Bin: k6.bin,
        outDir: join(tmp, `throws-${k6.version}`),
        quiet: true,
        processEnv: { PATH: process.env.PATH },
      });
      expect(threw.exitCode).toBe(107);
      expect(threw.summary).toBeNull();
      expect(threw.aborted).toMatch(/^k6 exited with 107 \(script error\) before the test started: .*init boom/);
    }, 60_000);
  });
}
