/**
 * Errors found before anything starts: a scenario that does not exist or does
 * not compile stops `loadtest` with exit 2 (k6's exit code and message inside)
 * before the client build, the stack, the seed or the app; `npm run k6 -- run`
 * keeps k6's own codes for the same scripts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-early-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(script: string, args: string[]): Promise<{ status: number | null; stderr: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr, pid: child.pid ?? 0 }));
  });
}

/** Nothing of the reference app was started: no build, no stack folder, no seed, no report folder. */
function nothingStarted(r: { stderr: string; pid: number }, out: string): void {
  expect(r.stderr).not.toContain('building the reference app client');
  expect(r.stderr).not.toContain('starting the private stack');
  expect(r.stderr).not.toContain('seeding');
  expect(existsSync(path.join(ROOT, '.stack', `loadtest-${r.pid}`))).toBe(false);
  expect(existsSync(out)).toBe(false);
}

describe('loadtest errors before anything starts', () => {
  it('--scenario nosuch: exit 2, FILE_NOT_FOUND with every shipped scenario and k6 exit 104, nothing started', async () => {
    const out = path.join(work, 'out-nosuch');
    const r = await run('scripts/loadtest.ts', ['--scenario', 'nosuch', '--out', out]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain("error FILE_NOT_FOUND: scenario 'nosuch' not found");
    expect(r.stderr).toContain('k6 run would exit 104: invalid config');
    for (const name of ['autoscale', 'cache', 'load', 'replica', 'scale-shards', 'smoke', 'soak', 'spike', 'stress'])
      expect(r.stderr).toContain(name);
    nothingStarted(r, out);
  });

  it('a scenario with a syntax error: exit 2 with k6’s message (file, Line l:c) and k6 exit 107; npm run k6 exits 107', async () => {
    const broken = path.join(work, 'broken.js');
    writeFileSync(broken, "import http from 'k6/http';\nexport default function ( {\n  http.get('x');\n}\n");
    const out = path.join(work, 'out-broken');
    const r = await run('scripts/loadtest.ts', ['--scenario', broken, '--out', out]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/error SCRIPT_INVALID: file:\/\/\/.*broken\.js: Line \d+:\d+ Unexpected /);
    expect(r.stderr).toContain('k6 run would exit 107: script exception');
    nothingStarted(r, out);
    const k6 = await run('scripts/k6.ts', ['run', broken]);
    expect(k6.status, k6.stderr).toBe(107);
  });
});
