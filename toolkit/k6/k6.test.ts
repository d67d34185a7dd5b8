/** The real-k6 engine, driven through a stand-in binary; and merging NDJSON from several instances. */
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import { findK6, importK6Results, runWithK6 } from './index.ts';

const FAKE = join(import.meta.dirname, 'fixtures', 'fake-k6.mjs');
const SCRIPT = join(import.meta.dirname, '..', 'runner', 'fixtures', 'generic.js');
let server: Server;
let baseUrl = '';
const tmp = mkdtempSync(join(tmpdir(), 'perfkit-k6-test-'));

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  baseUrl = await listenLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  rmSync(tmp, { recursive: true, force: true });
});

describe('findK6', () => {
  it('takes K6_BIN, else k6 on PATH, else nothing', () => {
    expect(findK6({ processEnv: { PATH: '/nonexistent' } })).toBeNull();
    expect(findK6({ processEnv: { K6_BIN: FAKE } })).toBe(FAKE);
    expect(findK6({ processEnv: { K6_BIN: '/nope/k6', PATH: '' } })).toBeNull();
    const dir = mkdtempSync(join(tmp, 'path-'));
    copyFileSync(FAKE, join(dir, 'k6'));
    chmodSync(join(dir, 'k6'), 0o755);
    expect(findK6({ processEnv: { PATH: `/nonexistent:${dir}` } })).toBe(join(dir, 'k6'));
  });
});

describe('runWithK6', () => {
  it('passes flags to k6 and reads its summary export and NDJSON back into the common outcome', async () => {
    let stderr = '';
    const options = { vus: 2, iterations: 6 };
    const out = await runWithK6({
      script: SCRIPT,
      k6Bin: FAKE,
      env: {
        BASE_URL: baseUrl,
        OPTIONS: JSON.stringify({ thresholds: { iterations: ['count==6'], http_reqs: ['count<1'] } }),
      },
      options,
      outDir: join(tmp, 'run'),
      quiet: true,
      noSummary: true,
      processEnv: {},
      stderr: { write: (s: string) => (stderr += s) },
    });
    expect(out.engine).toBe('k6');
    expect(out.exitCode, stderr).toBe(99);
    expect(out.summary?.metrics.iterations?.values.count).toBe(6);
    expect(out.thresholds.map((t) => [t.metric, t.source, t.ok]).sort()).toEqual([
      ['http_reqs', 'count<1', false],
      ['iterations', 'count==6', true],
    ]);
    expect(out.summary?.metrics.http_reqs?.thresholds).toEqual({ 'count<1': { ok: false } });
    expect(out.timeseries.reduce((a, p) => a + p.iterations, 0)).toBe(6);
  }, 60_000);
});

describe('importK6Results', () => {
  it('merges the NDJSON of several instances and judges thresholds on the combined data', async () => {
    const files = [join(tmp, 'a.ndjson'), join(tmp, 'b.ndjson')];
    for (const [i, file] of files.entries()) {
      await runWithK6({
        script: SCRIPT,
        k6Bin: FAKE,
        env: { BASE_URL: baseUrl, OPTIONS: JSON.stringify({ vus: 1, iterations: 3 + i }) },
        outDir: join(tmp, `instance-${i}`),
        jsonOut: file,
        quiet: true,
        noSummary: true,
        processEnv: {},
      });
    }
    const merged = await importK6Results({
      ndjson: files,
      thresholds: { iterations: ['count==7'], http_req_duration: ['p(95)<5000'] },
    });
    expect(merged.summary?.metrics.iterations?.values.count).toBe(7);
    expect(merged.summary?.metrics.http_reqs?.values.count).toBe(7);
    expect(merged.exitCode).toBe(0);
    const failing = await importK6Results({ ndjson: files, thresholds: { iterations: ['count==3'] } });
    expect(failing.exitCode).toBe(99);
  }, 60_000);
});
