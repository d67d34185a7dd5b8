import { readFileSync, rmSync } from 'node:fs';

/** A browser process and the folders it owns, as the guard needs them to clean up synchronously. */
export interface GuardedProcess {
  pid: number | undefined;
  dirs: string[];
}

const live = new Set<GuardedProcess>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_EXIT: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let installed = false;

/** Kills a browser's whole process group (puppeteer starts it detached), then the process itself. */
export function killProcessTree(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** True while a process with this pid runs (signal 0 probes without killing); a zombie awaiting its parent's reaping counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

export function removeDirs(dirs: string[]): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
}

/** Blocks for up to `ms` until the process is gone: exit and signal handlers cannot await, and removing a profile a dying browser still writes to leaves it behind. */
function waitForExitSync(pid: number | undefined, ms: number): void {
  if (pid === undefined) return;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + ms;
  while (isProcessAlive(pid) && Date.now() < deadline) Atomics.wait(cell, 0, 0, 10);
}

/** A killed child stays a zombie until its parent (us) reaps it; it no longer writes anything. */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function cleanupAll(): void {
  for (const entry of live) killProcessTree(entry.pid);
  for (const entry of live) {
    waitForExitSync(entry.pid, 2000);
    removeDirs(entry.dirs);
  }
  live.clear();
}

function onSignal(signal: (typeof SIGNALS)[number]): void {
  cleanupAll();
  // When nobody else handles the signal (no CLI main), keep the default meaning: exit.
  if (process.listenerCount(signal) <= 1) process.exit(SIGNAL_EXIT[signal]);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstallIfIdle(): void {
  if (!installed || live.size > 0) return;
  installed = false;
  process.off('exit', cleanupAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Registers a browser so that it is killed and its folders removed when this
 * process exits or gets SIGINT/SIGTERM/SIGHUP, whatever else happens.
 */
export function guardProcess(entry: GuardedProcess): () => void {
  live.add(entry);
  install();
  return () => {
    live.delete(entry);
    uninstallIfIdle();
  };
}
