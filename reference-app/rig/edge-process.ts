/**
 * Running nginx and pgbouncer as the stack's own children: found on PATH or in
 * the usual sbin folders, started in the foreground (no self-daemonizing, so
 * the pid we hold is the server's), output appended to a log file in the stack
 * folder, ready when a probe passes, stopped by pid.
 */
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolkitError } from '../../toolkit/errors.ts';
import { which } from '../../toolkit/process/which.ts';
import { onExit } from '../../toolkit/process/exit-hooks.ts';
import { isAlive, signal, tail, waitForExit } from '../../toolkit/process/processes.ts';

/** Folders tried after PATH: Debian installs both servers in /usr/sbin, which a user's PATH often lacks. */
export const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/opt/homebrew/bin', '/opt/homebrew/sbin'];

/** Where to look for a server binary (tests point both at empty folders). */
export interface FindServerOptions {
  env?: Record<string, string | undefined>;
  /** Folders tried after PATH (default SBIN_DIRS). */
  extraDirs?: string[];
}

/** Finds `name` on PATH or in the extra folders; throws BINARY_MISSING naming the Debian and Homebrew packages. */
export function findServer(
  name: string,
  packages: { debian: string; homebrew: string; why: string },
  options: FindServerOptions = {},
): string {
  const found = which(name, options.env ?? {});
  if (found) return found;
  for (const dir of options.extraDirs ?? SBIN_DIRS) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not there
    }
  }
  throw new ToolkitError(
    'BINARY_MISSING',
    `${name} not found on PATH or in ${(options.extraDirs ?? SBIN_DIRS).join(', ')} (${packages.why})`,
    {
      fix: `install it: Debian/Ubuntu \`apt-get install ${packages.debian}\`, macOS \`brew install ${packages.homebrew}\`; or run without the option`,
    },
  );
}

/** How to start one edge server. */
export interface EdgeSpawnOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** Ready when this resolves true (polled every 100 ms). */
  ready: () => Promise<boolean>;
  /** Keep running after this process exits (`stack up`); default false: SIGTERM on our exit. */
  detached?: boolean;
  readyTimeoutMs?: number;
}

/** A started edge server. */
export interface EdgeProcess {
  name: string;
  pid: number;
  command: string;
  logFile: string;
  /** SIGTERM, SIGKILL after timeoutMs; resolves once the pid is gone. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Stops a pid: SIGTERM, then SIGKILL if it is still there after timeoutMs. */
export async function stopPid(pid: number, timeoutMs = 10_000): Promise<void> {
  signal(pid, 'SIGTERM');
  if (!(await waitForExit(pid, timeoutMs))) {
    signal(pid, 'SIGKILL');
    await waitForExit(pid, 5000);
  }
}

/**
 * Spawns the server with its output in logFile (a file, not a pipe: a detached
 * server outlives us and must not die writing to a closed pipe) and waits until
 * `ready` passes; throws STACK_START_FAILED with the log's tail when it exits or times out first.
 */
export async function spawnEdge(options: EdgeSpawnOptions): Promise<EdgeProcess> {
  const fd = openSync(options.logFile, 'a');
  let exitCode: number | null | undefined;
  let spawnError = '';
  const child = spawn(options.command, options.args, {
    cwd: '/',
    env: { PATH: '/usr/sbin:/usr/bin:/bin', LANG: 'C' },
    stdio: ['ignore', fd, fd],
    detached: options.detached === true,
  });
  closeSync(fd);
  child.on('error', (err) => {
    spawnError = err.message;
    exitCode = null;
  });
  child.on('exit', (code) => (exitCode = code));
  const pid = child.pid ?? -1;
  const unregister = options.detached ? () => undefined : onExit(() => signal(pid, 'SIGTERM'));
  if (options.detached) child.unref();
  const stop = async (timeoutMs?: number): Promise<void> => {
    unregister();
    if (pid > 0 && isAlive(pid)) await stopPid(pid, timeoutMs);
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (exitCode !== undefined) {
      throw await startFailed(
        options,
        `exited with code ${exitCode} before it was ready${spawnError ? `: ${spawnError}` : ''}`,
      );
    }
    if (await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop(2000);
      throw await startFailed(options, `was not ready after ${options.readyTimeoutMs ?? 20_000} ms`);
    }
    await sleep(100);
  }
  return { name: options.name, pid, command: options.command, logFile: options.logFile, stop };
}

async function startFailed(options: EdgeSpawnOptions, why: string): Promise<ToolkitError> {
  return new ToolkitError(
    'STACK_START_FAILED',
    `${options.name} (${options.command} ${options.args.join(' ')}) ${why}:\n${await tail(options.logFile)}`,
    {
      fix: `see ${options.logFile}; \`npm run stack -- down\` removes a half-started stack`,
    },
  );
}
