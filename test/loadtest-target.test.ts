/**
 * `loadtest --target URL` against an app of the test's own: a plain node:http
 * server with a page and JSON endpoints, a tiny k6 scenario in a temp folder,
 * and the repo's composition (the reference rig as the default target). The
 * run measures the app without touching the rig: no PostgreSQL, Redis or
 * nginx on PATH, and the package installer is asked for none of them. When
 * the report stage fails, results.json and verdicts.json stay on disk, the
 * error names the command that rebuilds the report, and that command
 * (`report --from`, in-process) rebuilds it with the verdict saved beside.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../toolkit/cli/io.ts';
import { ToolkitError } from '../toolkit/errors.ts';
import { runLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { which } from '../toolkit/process/which.ts';
import { runReport } from '../toolkit/report/index.ts';
import { validateResults, type Verdicts } from '../toolkit/results/index.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';
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
    // The PerformanceMetrics shape: any app that serves it gets database figures into its results.
    if (req.url === '/api/performance') {
      const body = { database: { queryTime: 1.5, connectionCount: 3, slowQueries: [] } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
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

/** A PATH with node alone: no postgres, redis-server, nginx or pgbouncer to find. */
function nodeOnlyPath(): string {
  const bin = path.join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, path.join(bin, 'node'));
  return bin;
}

describe('loadtest --target URL', () => {
  it('measures a plain app without the rig: nothing of it is installed, looked for or started', async () => {
    const PATH = nodeOnlyPath();
    for (const bin of ['postgres', 'initdb', 'redis-server', 'nginx', 'pgbouncer'])
      expect(which(bin, { PATH })).toBeUndefined();
    const outDir = path.join(work, 'plain');
    const asked: string[][] = [];
    const run = io([...targetArgs(outDir), '--json'], { PATH });
    const code = await runLoadtest(run.io, {
      defaultTarget: referenceRig,
      installPackages: (packages) => void asked.push(packages.map((p) => p.name)),
    });
    const stderr = run.err.join('');
    expect(code, stderr).toBe(0);
    expect(asked).toEqual([[]]);
    expect(stderr).not.toMatch(/private stack|seeding|installing|postgres|redis/i);
    const summary = JSON.parse(run.out.join('')) as { runId: string; outcome: string };
    const runDir = path.join(outDir, summary.runId);
    for (const f of ['index.html', 'results.json', 'verdicts.json', 'junit.xml', 'summary.md'])
      expect(existsSync(path.join(runDir, f)), f).toBe(true);
    const results = validateResults(JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')), 'results');
    expect(results.meta.target).toBe(baseUrl);
    expect(results.meta.config).toMatchObject({ target: baseUrl });
    expect(results.meta.config).not.toHaveProperty('instances');
    expect(results.api?.endpoints.find((e) => e.name === 'items')?.count).toBe(40);
    expect(results.database?.connectionCount).toBe(3);
    expect(results.resources?.map((r) => r.name)).toEqual(['machine']);
    expect(readdirSync(path.join(ROOT, '.stack')).filter((d) => d.startsWith(`loadtest-${process.pid}`))).toEqual([]);

    // With the browser part on, Chromium is all it asks for (this PATH has none: the run goes on without
    // it, the part is recorded failed and the exit code is 1).
    const browser = io(
      targetArgs(path.join(work, 'plain-browser')).filter((a) => a !== '--no-browser-under-load'),
      {
        PATH,
      },
    );
    asked.length = 0;
    const withBrowser = runLoadtest(browser.io, {
      defaultTarget: referenceRig,
      installPackages: (packages) => void asked.push(packages.map((p) => p.name)),
    });
    expect(await withBrowser, browser.err.join('')).toBe(1);
    expect(asked).toEqual([['chromium']]);
    expect(browser.err.join('')).toMatch(/✗ part failed: browserUnderLoad: BROWSER_MISSING/);
  }, 120_000);

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
