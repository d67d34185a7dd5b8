/**
 * `loadtest --target URL` on an app of the test's own, from a folder holding nothing of perfkit's: with no
 * config at all it runs the generic scenarios (smoke, then a constant arrival rate over the pages), real
 * Chromium for Lighthouse and the browser under load, and judges by budgets/generic.json. With a login
 * configured whose page does not exist, the browser part fails alone: the run goes on, results and report
 * are written, the part is recorded failed and named, and the exit code is 1.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../toolkit/cli/io.ts';
import { runLoadtest } from '../toolkit/cli/loadtest/command.ts';
import { validateResults, type Verdicts } from '../toolkit/results/index.ts';
import { referenceRig } from '../reference-app/rig/provider.ts';
import { closeServer, listenLoopback } from './support/loopback.ts';

const work = mkdtempSync(path.join(tmpdir(), 'perfkit-anyapp-'));
let server: Server;
let baseUrl: string;

const PAGE = (title: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title}</title></head><body><h1>${title}</h1><p>A small app of its own.</p></body></html>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE('Home'));
    if (req.url === '/about') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE('About'));
    if (req.url === '/api/data')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  baseUrl = await listenLoopback(server);
});
afterAll(async () => {
  await closeServer(server);
  rmSync(work, { recursive: true, force: true });
});

function io(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    argv,
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
  return { out, err, io: cli };
}

const port = (): string => new URL(baseUrl).port;
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('loadtest --target URL on any app', () => {
  it('needs no config: generic scenarios, Lighthouse and the browser, judged by the generic budget', async () => {
    const cwd = mkdtempSync(path.join(work, 'plain-'));
    const run = io(['--target', baseUrl, '--ci', '--engine', 'builtin', '--json'], cwd);
    const code = await runLoadtest(run.io, { defaultTarget: referenceRig });
    const stderr = run.err.join('');
    expect(code, stderr).toBe(0);
    const { runId } = JSON.parse(run.out.join('')) as { runId: string };
    expect(runId).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ-ci-127-0-0-1-${port()}$`));
    const runDir = path.join(cwd, 'reports', runId);
    const results = validateResults(JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')), 'results');
    expect(results.meta.scenarios).toEqual(['smoke', 'load']);
    expect(String(results.meta.config.budget)).toMatch(/budgets\/generic\.json$/);
    expect(results.meta.failedParts).toBeUndefined();
    expect(results.api?.endpoints.map((e) => e.name)).toEqual(['/']);
    expect(results.frontend?.lighthouse.map((l) => l.page)).toEqual(['home']);
    expect(results.frontend?.browserSamples?.length ?? 0).toBeGreaterThan(0);
    const verdicts = JSON.parse(readFileSync(path.join(runDir, 'verdicts.json'), 'utf8')) as Verdicts;
    expect(verdicts.budgets[0]).toMatch(/generic\.json$/);
    expect(verdicts.verdicts.find((v) => v.pointer === '/api/errorRate')?.status).toBe('pass');
    expect(verdicts.verdicts.some((v) => v.pointer.startsWith('/database'))).toBe(false);
    expect(existsSync(path.join(runDir, 'index.html'))).toBe(true);
    expect(stderr).not.toMatch(/login|private stack|seeding/i);
    // The machine, with the browser and Lighthouse that measured the page and Lighthouse's benchmarkIndex.
    const machine = results.meta.machine;
    expect(machine).toMatchObject({
      chromium: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      lighthouse: expect.stringMatching(/^12\./),
      benchmarkIndex: expect.any(Number),
    });
    if (!machine?.chromium || !machine.lighthouse || !machine.benchmarkIndex) throw new Error('machine incomplete');
    const described = `${machine.cores} cores (${machine.cpuModel}), `;
    const tail = `Chromium ${machine.chromium}, Lighthouse ${machine.lighthouse}, benchmarkIndex ${Math.round(machine.benchmarkIndex)}`;
    expect(stderr).toMatch(
      new RegExp(
        `^(\\[ *\\d+s\\] )?machine: ${escapeRegExp(described)}.*Node ${escapeRegExp(process.version)}, ${escapeRegExp(tail)}$`,
        'm',
      ),
    );
    const summary = readFileSync(path.join(runDir, 'summary.md'), 'utf8');
    expect(summary).toContain(`Machine: ${described}`);
    expect(summary).toContain(tail);
    const html = readFileSync(path.join(runDir, 'index.html'), 'utf8');
    expect(html).toContain(`<th>machine: Chromium</th><td class="mono">${machine.chromium}</td>`);
    expect(html).toContain(`<th>machine: Lighthouse</th><td class="mono">${machine.lighthouse}</td>`);
    expect(html).toContain(
      `<th>machine: benchmark index</th><td class="mono">${Math.round(machine.benchmarkIndex)}</td>`,
    );
  }, 240_000);

  it('keeps going when the browser cannot log in: the part is failed and named, results and report kept, exit 1', async () => {
    const cwd = mkdtempSync(path.join(work, 'login-'));
    writeFileSync(
      path.join(cwd, 'perfkit.config.json'),
      JSON.stringify({ pages: ['/', '/about'], auth: { loginPath: '/login' }, lighthouse: { enabled: false } }),
    );
    const env = { PERFKIT_LOGIN_EMAIL: 'someone@example.test', PERFKIT_LOGIN_PASSWORD: 'not-logged' };
    const run = io(['--target', baseUrl, '--ci', '--engine', 'builtin', '-e', 'DURATION=5s'], cwd, env);
    const code = await runLoadtest(run.io, { defaultTarget: referenceRig });
    const stderr = run.err.join('');
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/✗ part failed: browserUnderLoad: LOGIN_FAILED: .*\/login/);
    expect(stderr).not.toContain('not-logged');
    const [runId] = readdirSync(path.join(cwd, 'reports')).filter((d) => d.includes('-ci-'));
    const runDir = path.join(cwd, 'reports', runId ?? '');
    const results = validateResults(JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')), 'results');
    expect(results.meta.failedParts?.map((f) => f.part)).toEqual(['browserUnderLoad']);
    expect(results.meta.failedParts?.[0]?.error).toMatch(/LOGIN_FAILED/);
    // The load results are kept: both pages were measured.
    expect(results.api?.endpoints.map((e) => e.name).sort()).toEqual(['/', '/about']);
    expect(results.api?.errorRate).toBe(0);
    const verdicts = JSON.parse(readFileSync(path.join(runDir, 'verdicts.json'), 'utf8')) as Verdicts;
    const loadTime = verdicts.verdicts.find((v) => v.pointer === '/frontend/loadTime');
    expect(loadTime?.status).toBe('fail');
    expect(loadTime?.message).toMatch(/error: part failed \(browserUnderLoad: LOGIN_FAILED/);
    expect(readFileSync(path.join(runDir, 'index.html'), 'utf8')).toContain('part failed');
    expect(JSON.stringify(results)).not.toContain('not-logged');
  }, 240_000);

  it('shows a live status while a 60 s scenario runs: a plain line every 10 s off a terminal, none with --quiet', async () => {
    const cwd = mkdtempSync(path.join(work, 'progress-'));
    const base = ['--target', baseUrl, '--engine', 'builtin', '--no-lighthouse', '--no-browser-under-load'];
    const run = io([...base, '--ci', '-e', 'DURATION=60s', '-e', 'RATE=5'], cwd);
    expect(await runLoadtest(run.io, { defaultTarget: referenceRig }), run.err.join('')).toBe(0);
    const lines = run.err
      .join('')
      .split('\n')
      .filter((l) =>
        /^ {2}load {2}\d:\d\d\/1:00 {2}\d+ VUs {2}\d+ iterations {2}[\d.]+ req\/s {2}0\.0% errors {2}100\.0% checks$/.test(
          l,
        ),
      );
    expect(lines.length, run.err.join('')).toBeGreaterThanOrEqual(5);

    const quiet = io([...base, '--ci', '-e', 'DURATION=12s', '--quiet'], cwd);
    expect(await runLoadtest(quiet.io, { defaultTarget: referenceRig })).toBe(0);
    expect(quiet.err.join('')).toBe('');
  }, 240_000);
});
