/**
 * `loadtest --target URL` against an app of the test's own: a plain node:http
 * server with a page and a JSON endpoint, a tiny k6 scenario in a temp
 * folder. When the report stage fails, results.json and verdicts.json stay on
 * disk, the error names the command that rebuilds the report, and that command
 * (`report --from`, in-process) rebuilds it with the verdict saved beside.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../toolkit/cli/io.ts';
import { ToolkitError } from '../toolkit/errors.ts';
import { runLoadtest } from '../toolkit/loadtest/index.ts';
import { runReport } from '../toolkit/report/index.ts';
import type { Verdicts } from '../toolkit/results/index.ts';
import { closeServer, listenLoopback } from './support/loopback.ts';

const ROOT = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-target-'));
let server: Server;
let baseUrl: string;

const SCENARIO = `import http from 'k6/http';
import { check } from 'k6';
export const options = { vus: 2, iterations: 40 };
export default function () {
  const res = http.get(__ENV.BASE_URL + '/api/items', { tags: { name: 'items' } });
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/api/items') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 1 }, { id: 2 }]));
      return;
    }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>tiny</title><p>tiny app</p>');
      return;
    }
    res.writeHead(404).end();
  });
  baseUrl = await listenLoopback(server);
  writeFileSync(path.join(work, 'tiny.js'), SCENARIO);
  // A warn-level line the run crosses, so the saved verdict (warn) differs from a fresh judgement's default.
  writeFileSync(
    path.join(work, 'budget.json'),
    JSON.stringify({ api: { errorRate: '<= 5%', p95: { limit: '<= 0.001 ms', level: 'warn' } } }),
  );
});
afterAll(async () => {
  await closeServer(server);
  rmSync(work, { recursive: true, force: true });
});

function io(argv: string[], env: Record<string, string | undefined> = { PATH: process.env.PATH }) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    argv,
    cwd: ROOT,
    env: { ...env, HOME: process.env.HOME },
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
  return { out, err, io: cli };
}

const targetArgs = (outDir: string): string[] => [
  '--target',
  baseUrl,
  '--scenario',
  path.join(work, 'tiny.js'),
  '--budget',
  path.join(work, 'budget.json'),
  '--engine',
  'builtin',
  '--no-lighthouse',
  '--no-browser-under-load',
  '--no-bundle',
  '--out',
  outDir,
];

describe('loadtest --target URL', () => {
  it('keeps results.json and verdicts.json when the report fails, and report --from rebuilds it from them', async () => {
    const outDir = path.join(work, 'broken-report');
    const run = io(targetArgs(outDir));
    const failing = runLoadtest(run.io, {
      writeReport: () => {
        throw new Error('the renderer broke');
      },
    });
    const err = await failing.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, run.err.join('')).toBeInstanceOf(ToolkitError);
    const e = err as ToolkitError;
    expect(e.code).toBe('STAGE_FAILED');
    expect(e.message).toMatch(/writing the report failed: the renderer broke/);
    const [runId, ...others] = readdirSync(outDir);
    expect(others).toEqual([]);
    const runDir = path.join(outDir, runId ?? '');
    expect(existsSync(path.join(runDir, 'results.json'))).toBe(true);
    expect(existsSync(path.join(runDir, 'index.html'))).toBe(false);
    const saved = JSON.parse(readFileSync(path.join(runDir, 'verdicts.json'), 'utf8')) as Verdicts;
    expect(saved.outcome).toBe('warn');

    // The fix names the command; run exactly that, in-process.
    const rebuild = /npm run report -- (.+)$/.exec(e.fix ?? '')?.[1]?.split(' ') ?? [];
    expect(rebuild.slice(0, 2)).toEqual(['--from', path.join(runDir, 'results.json')]);
    const report = io([...rebuild, '--json']);
    expect(await runReport(report.io), report.err.join('')).toBe(0);
    expect(JSON.parse(report.out.join('')).outcome).toBe('warn');
    for (const f of ['index.html', 'junit.xml', 'summary.md']) expect(existsSync(path.join(runDir, f)), f).toBe(true);
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true);
  }, 120_000);

  it('leaves no run folder when nothing was measured (the target does not answer)', async () => {
    const outDir = path.join(work, 'unreachable');
    const args = targetArgs(outDir);
    args[1] = 'http://127.0.0.1:1';
    await expect(runLoadtest(io(args).io)).rejects.toThrow(/does not answer/);
    expect(readdirSync(outDir)).toEqual([]);
  });
});
