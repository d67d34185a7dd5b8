/**
 * A real `loadtest` killed with SIGKILL mid-run: its stack (PostgreSQL primary
 * and replica, Redis, the app, the stub upstream), its Chromium and its
 * half-written report folder are left behind. The next run finds them by the
 * records the killed run wrote (its stack's state.json and .perfkit/run-<pid>.json),
 * stops every recorded process, removes the folders, and says so; `ps` then
 * shows none of the recorded pids.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
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
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendantPids } from '../toolkit/process/processes.ts';
import type { RunRecord } from '../toolkit/process/leftovers.ts';
import type { StackState } from '../reference-app/rig/state.ts';
import { closeServer, listenLoopback } from './support/loopback.ts';

const REPO = path.join(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-crash-'));
/**
 * The runs work in a checkout of their own (the repo's files linked into a temp folder), so that their
 * `.stack/` and `.perfkit/` are theirs alone: another test's loadtest in the repo would sweep the killed run first.
 */
const ROOT = path.join(work, 'checkout');
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
let server: Server;
let base = '';

const LONG = `import http from 'k6/http';
import { sleep } from 'k6';
export const options = { vus: 1, duration: '3m' };
export default function () { http.get(__ENV.BASE_URL + '/healthz'); sleep(0.2); }
`;
const SHORT = `import http from 'k6/http';
export const options = { vus: 1, iterations: 3 };
export default function () { http.get(__ENV.BASE_URL + '/'); }
`;

beforeAll(async () => {
  // PostgreSQL runs as its own user (as root): it must be able to reach the stack folder.
  chmodSync(work, 0o755);
  mkdirSync(ROOT, { mode: 0o755 });
  for (const entry of readdirSync(REPO))
    if (!['.stack', '.perfkit', 'reports', '.git'].includes(entry))
      symlinkSync(path.join(REPO, entry), path.join(ROOT, entry));
  writeFileSync(path.join(work, 'long.js'), LONG);
  writeFileSync(path.join(work, 'short.js'), SHORT);
  writeFileSync(path.join(work, 'budget.json'), JSON.stringify({ api: { errorRate: '<= 100%' } }));
  server = createServer((_req, res) => res.end('ok'));
  base = await listenLoopback(server);
});
afterAll(async () => {
  await closeServer(server);
  rmSync(work, { recursive: true, force: true });
});

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

/** Pids `ps` lists right now. */
function psPids(): Set<number> {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,stat='], { encoding: 'utf8' }).stdout;
  const live = out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, stat]) => pid && !stat?.startsWith('Z'));
  return new Set(live.map(([pid]) => Number(pid)));
}

async function until<T>(
  what: string,
  ms: number,
  probe: () => T | undefined,
  child: ChildProcess,
  stderrOf: () => string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (child.exitCode !== null)
      throw new Error(`the loadtest exited (${child.exitCode}) before ${what}: ${stderrOf()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Runs a command to its end without blocking this process (the test's own server must keep answering). */
function runToEnd(command: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('after a SIGKILL of loadtest', () => {
  it('the next run stops the dead run’s recorded processes, removes its folders and says so', async () => {
    const out = path.join(work, 'reports');
    let stderr = '';
    const first = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/loadtest.ts',
        '--scenario',
        path.join(work, 'long.js'),
        '--no-lighthouse',
        '--no-bundle',
        '--engine',
        'builtin',
        '--out',
        out,
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    first.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const pid = first.pid!;
    const recordFile = path.join(ROOT, '.perfkit', `run-${pid}.json`);
    const stackDir = path.join(ROOT, '.stack', `loadtest-${pid}`);
    // Mid-run: the browser under load is up and recorded, the app and the upstream are attached to the stack.
    const record = await until(
      'a browser in the run record',
      240_000,
      () => {
        const r = readJson<RunRecord>(recordFile);
        return r?.processes.some((p) => p.name === 'chromium') && r.runDir ? r : undefined;
      },
      first,
      () => stderr,
    );
    const state = readJson<StackState>(path.join(stackDir, 'state.json'))!;
    expect(state.managed.map((m) => m.name).sort()).toEqual(['app', 'upstream']);
    const pidFile = (f: string) => Number(readFileSync(f, 'utf8').split('\n')[0]);
    const recorded = [
      ...record.processes.map((p) => p.pid),
      ...state.managed.map((m) => m.pid),
      ...state.managed.flatMap((m) => descendantPids(m.pid)),
      pidFile(state.services.primary.pidFile),
      pidFile(state.services.replica.pidFile),
      pidFile(state.services.redis.pidFile),
    ];
    expect(existsSync(record.runDir!)).toBe(true);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    await sleep(500);
    const survivors = recorded.filter((p) => psPids().has(p));
    // The stack's daemons and the app outlive their killed parent (Chromium dies with it through the parent-death launcher).
    expect(survivors.length, stderr).toBeGreaterThanOrEqual(5);

    const next = await runToEnd(process.execPath, [
      '--import',
      'tsx',
      'scripts/loadtest.ts',
      '--target',
      base,
      '--scenario',
      path.join(work, 'short.js'),
      '--budget',
      path.join(work, 'budget.json'),
      '--no-lighthouse',
      '--no-browser-under-load',
      '--no-bundle',
      '--engine',
      'builtin',
      '--out',
      out,
    ]);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toContain(`stopped stack "loadtest-${pid}" left by process ${pid}, which died`);
    expect(next.stderr).toContain(`cleaning up after run ${pid} (loadtest)`);
    expect(next.stderr).toContain(`removed half-written report folder ${record.runDir}`);
    const live = psPids();
    expect(recorded.filter((p) => live.has(p))).toEqual([]);
    expect(existsSync(stackDir)).toBe(false);
    expect(existsSync(recordFile)).toBe(false);
    expect(existsSync(record.runDir!)).toBe(false);
    // The second run's own folder is complete and its record gone.
    expect(readdirSync(out)).toHaveLength(2); // its run folder and reports/index.html
  }, 420_000);
});
