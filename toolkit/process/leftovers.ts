/**
 * What a crashed run leaves behind, and how the next one finds it. A run
 * records itself in `<root>/.perfkit/run-<pid>.json`: its own pid and start
 * time, its report folder, and every process it starts outside a stack
 * (browsers: pid, start time, what their command line holds). The file goes
 * when the run ends. A record whose owner is dead (or whose pid now belongs
 * to a process started later) is a crash's leftover: the sweep stops each
 * recorded process that is still the same process (same start time, same
 * command), removes a report folder that holds no results.json, and says so
 * in one line each.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, signal, waitForExit } from './processes.ts';

/** A process a run started, as recorded. */
export interface OwnedProcess {
  name: string;
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22); absent without /proc. */
  startTime?: number;
  /** Text its command line contains (e.g. "chrom"). */
  marker: string;
  /** It leads its own process group: the whole group is stopped. */
  group?: boolean;
}

/** The content of a run record. */
export interface RunRecord {
  version: 1;
  pid: number;
  startTime?: number;
  command: string;
  startedAt: string;
  /** The run's report folder, once it has one. */
  runDir?: string;
  processes: OwnedProcess[];
}

/** A process's start time in clock ticks since boot, from /proc; undefined without /proc or when it is gone. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/**
 * True while `pid` is the very process that was recorded: alive, started at
 * the recorded time (when recorded) and running a command that holds `marker`
 * (when given). A reused pid is never taken for it.
 */
export function isSameProcess(pid: number, startTime: number | undefined, marker?: string): boolean {
  if (!isAlive(pid)) return false;
  const now = processStartTime(pid);
  if (startTime !== undefined && now !== undefined && now !== startTime) return false;
  if (marker === undefined) return true;
  const cmd = cmdline(pid);
  return cmd === undefined || cmd.includes(marker);
}

const recordsDir = (root: string): string => join(root, '.perfkit');
const recordFile = (root: string, pid: number): string => join(recordsDir(root), `run-${pid}.json`);

function write(root: string, record: RunRecord): void {
  mkdirSync(recordsDir(root), { recursive: true });
  const file = recordFile(root, record.pid);
  writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

let current: { root: string; record: RunRecord } | undefined;

/** Starts this process's run record; `end()` removes it. Processes recorded with recordProcess() go into it. */
export function beginRunRecord(root: string, command: string): { setRunDir(dir: string): void; end(): void } {
  const record: RunRecord = {
    version: 1,
    pid: process.pid,
    ...(processStartTime(process.pid) !== undefined ? { startTime: processStartTime(process.pid) } : {}),
    command,
    startedAt: new Date().toISOString(),
    processes: [],
  };
  current = { root, record };
  write(root, record);
  return {
    setRunDir(dir) {
      record.runDir = dir;
      if (current?.record === record) write(root, record);
    },
    end() {
      if (current?.record === record) current = undefined;
      rmSync(recordFile(root, record.pid), { force: true });
    },
  };
}

/** Adds a started process to the current run record (when there is one); returns a function that removes it. */
export function recordProcess(p: Omit<OwnedProcess, 'startTime'>): () => void {
  const run = current;
  if (!run) return () => undefined;
  const startTime = processStartTime(p.pid);
  const entry: OwnedProcess = { ...p, ...(startTime !== undefined ? { startTime } : {}) };
  run.record.processes.push(entry);
  write(run.root, run.record);
  return () => {
    run.record.processes = run.record.processes.filter((x) => x !== entry);
    if (current === run) write(run.root, run.record);
  };
}

/** Stops a recorded process (its group when it leads one) if it is still that process; true when it was running. */
export async function stopOwned(p: OwnedProcess): Promise<boolean> {
  if (!isSameProcess(p.pid, p.startTime, p.marker)) return false;
  if (p.group) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // not a group leader any more: the process alone
    }
  }
  signal(p.pid, 'SIGKILL');
  await waitForExit(p.pid, 5000);
  return true;
}

function readRecord(file: string): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

/** Removes a run folder that holds no results.json (nothing was measured); one with results is kept and named. */
function sweepRunDir(dir: string, log: (line: string) => void): void {
  if (!existsSync(dir)) return;
  if (existsSync(join(dir, 'results.json'))) {
    if (!existsSync(join(dir, 'index.html')))
      log(
        `kept ${dir}: its results.json was written; rebuild the rest with npm run report -- --from ${join(dir, 'results.json')}`,
      );
    return;
  }
  rmSync(dir, { recursive: true, force: true });
  log(`removed half-written report folder ${dir} (no results.json)`);
}

/**
 * Finds the records of runs whose owner is dead, stops their processes, removes
 * their half-written report folders and records, and logs one line each.
 * Returns how many runs it cleaned up.
 */
export async function sweepDeadRuns(root: string, log: (line: string) => void): Promise<number> {
  let files: string[];
  try {
    files = readdirSync(recordsDir(root)).filter((f) => /^run-\d+\.json$/.test(f));
  } catch {
    return 0;
  }
  let cleaned = 0;
  for (const f of files) {
    const file = join(recordsDir(root), f);
    const record = readRecord(file);
    if (record && record.pid === process.pid) continue;
    if (record && isSameProcess(record.pid, record.startTime)) continue;
    cleaned += 1;
    const stopped: string[] = [];
    for (const p of record?.processes ?? []) if (await stopOwned(p)) stopped.push(`${p.name} ${p.pid}`);
    log(
      `cleaning up after run ${record?.pid ?? f} (${record?.command ?? 'unknown'}), which ended without cleaning up: ` +
        (stopped.length ? `stopped ${stopped.join(', ')}` : 'none of its processes was still running'),
    );
    if (record?.runDir) sweepRunDir(record.runDir, log);
    rmSync(file, { force: true });
  }
  return cleaned;
}
