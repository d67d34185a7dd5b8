/**
 * Small process helpers: liveness by pid, running a tool (optionally as
 * another user) and collecting its output, waiting for exits.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The uid/gid a child runs as; undefined means "as ourselves". */
export interface RunAs {
  uid: number;
  gid: number;
  user: string;
}

/** True when a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true; // no /proc (macOS): kill(0) is all we have
  }
}

/**
 * True when the pid is alive and its command line contains `marker` (e.g.
 * "postgres"): a pid from an old pid file may have been reused by an unrelated
 * process, which we must never signal. Without /proc, alive is all we can check.
 */
export function runs(pid: number | undefined, marker: string): pid is number {
  if (pid === undefined || !isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return true;
  }
}

/** Waits until the pid is gone; false when it is still alive after timeoutMs. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Sends a signal to one process, ignoring "no such process". Never to a group: pid 0 or negative is ignored. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function parsePid(text: string): number | undefined {
  const pid = Number.parseInt(text.split('\n')[0]?.trim() ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Reads the first line of a pid file (postmaster.pid, redis.pid) as a number. */
export async function readPidFile(file: string): Promise<number | undefined> {
  return readFile(file, 'utf8').then(parsePid, () => undefined);
}

/** The pid in a pid file when that process is alive and runs `marker`. */
export async function livePidFromFile(file: string, marker: string): Promise<number | undefined> {
  const pid = await readPidFile(file);
  return runs(pid, marker) ? pid : undefined;
}

/** The same, synchronously, for exit hooks that cannot await. */
export function readPidFileSync(file: string): number | undefined {
  try {
    return parsePid(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** All descendants of a process (e.g. tsx → node → cluster workers), from /proc; none without /proc. */
export function descendantPids(pid: number, depth = 0): number[] {
  if (depth > 4) return [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const direct = tasks.flatMap((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  return direct.flatMap((child) => [child, ...descendantPids(child, depth + 1)]);
}

/** The result of a tool that ran to completion. */
export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool to completion, collecting its output; never throws for a non-zero exit. */
export function runTool(
  command: string,
  args: string[],
  options: { runAs?: RunAs | undefined; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? '/',
      env: options.env ?? { PATH: '/usr/bin:/bin', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
      ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last lines of a log file, for error messages. */
export async function tail(file: string, lines = 15): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
