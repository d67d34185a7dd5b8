/**
 * Extra child processes (the app, the stub upstream…) started, awaited until
 * ready, logged to a file, and always stopped: by `stop()`, by their owner,
 * or when this process exits.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolkitError } from '../errors.ts';
import { onExit } from './exit-hooks.ts';
import { signal, waitForExit } from './processes.ts';

/** How to start a managed process and how to tell it is ready. */
export interface ManagedOptions {
  /** Short name for logs and errors, e.g. "app-1". */
  name: string;
  command: string;
  args?: string[];
  /** The child's whole environment (nothing is inherited implicitly). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ready when a GET to this URL gets any HTTP answer below 500. */
  readyUrl?: string;
  /** Ready when stdout/stderr shows this text or pattern. */
  readyLog?: string | RegExp;
  /** stdout and stderr are appended here. */
  logFile?: string;
  /** Default 30 s. */
  readyTimeoutMs?: number;
}

/** A running managed process. */
export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string | undefined;
  /** Resolves with the exit code (or null when killed by a signal). */
  exited: Promise<number | null>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after timeoutMs (default 10 s); resolves once it is gone. */
  stop(timeoutMs?: number): Promise<void>;
}

function matches(output: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output);
}

async function urlAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.status < 500;
  } catch {
    return false;
  }
}

/** Starts a process and resolves once it is ready; throws STACK_START_FAILED (with its output) if it exits or times out first. */
export async function spawnManaged(options: ManagedOptions): Promise<ManagedProcess> {
  if (options.logFile) await mkdir(dirname(options.logFile), { recursive: true });
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? { PATH: '/usr/local/bin:/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  let output = '';
  let exitCode: number | null | undefined;
  const onData = (chunk: Buffer): void => {
    log?.write(chunk);
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      output += `\n${err.message}`;
      exitCode = null;
      resolve(null);
    });
    child.on('exit', (code) => {
      exitCode = code;
      log?.end();
      resolve(code);
    });
  });
  const pid = child.pid ?? -1;
  const unregister = onExit(() => signal(pid, 'SIGTERM'));
  const handle: ManagedProcess = {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    running: () => exitCode === undefined,
    async stop(timeoutMs = 10_000) {
      unregister();
      if (exitCode !== undefined) return;
      signal(pid, 'SIGTERM');
      if (!(await waitForExit(pid, timeoutMs))) signal(pid, 'SIGKILL');
      await exited;
    },
  };
  await waitReady(options, handle, () => output);
  return handle;
}

async function waitReady(options: ManagedOptions, handle: ManagedProcess, output: () => string): Promise<void> {
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const fail = async (why: string): Promise<never> => {
    await handle.stop(2000);
    const lastLines = output().trimEnd().split('\n').slice(-20).join('\n');
    throw new ToolkitError('STACK_START_FAILED', `${options.name} (${options.command}) ${why}:\n${lastLines}`, {
      fix: `see its output above${options.logFile ? ` and ${options.logFile}` : ''}`,
    });
  };
  for (;;) {
    if (!handle.running()) return fail(`exited with code ${await handle.exited} before it was ready`);
    if (options.readyLog !== undefined && matches(output(), options.readyLog)) return;
    if (options.readyUrl !== undefined && (await urlAnswers(options.readyUrl))) return;
    if (options.readyLog === undefined && options.readyUrl === undefined) return;
    if (Date.now() > deadline) return fail(`was not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}
