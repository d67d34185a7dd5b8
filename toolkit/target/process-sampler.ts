/**
 * The generic resource sampler: machine CPU and memory, and CPU and RSS of
 * named process groups, from /proc. Whoever names the processes (a target
 * provider) gives their pids and roles, and may add each group's data folder
 * and a probe of the memory the process reports itself.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { ProcessUsage } from '../results/index.ts';
import type { Sampler } from './types.ts';
import { generatorGroups, readProcessIo } from './generator-groups.ts';

/** One resource reading: machine-wide CPU/memory plus per-process CPU and RSS, and watched folders' disk use. */
export interface ResourceSample {
  /** ms since epoch */
  t: number;
  /** machine CPU busy share over the last interval, 0..1 (all cores) */
  cpu: number;
  /** machine memory in use, bytes */
  memUsed: number;
  /** io: bytes read from / written to storage since the last reading (/proc/<pid>/io), when readable. */
  processes: Record<
    string,
    { cpu: number; rss: number; role: ProcessUsage['role']; io?: { read: number; write: number } }
  >;
  disk: Record<string, number>;
  /** memory the processes report for their data (e.g. Redis used_memory), by process group */
  usedMemory: Record<string, number>;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

async function readMachineCpu(): Promise<{ busy: number; total: number }> {
  const text = await readFile('/proc/stat', 'utf8');
  const fields = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

async function readMemUsed(): Promise<number> {
  const text = await readFile('/proc/meminfo', 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return kb('MemTotal') - kb('MemAvailable');
}

/** CPU ticks (utime+stime) and RSS bytes of one pid, or undefined when it is gone. */
async function readProcess(pid: number): Promise<{ ticks: number; rss: number } | undefined> {
  try {
    const statText = await readFile(`/proc/${pid}/stat`, 'utf8');
    const rest = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    const rssPages = Number(rest[21]);
    return { ticks, rss: rssPages * 4096 };
  } catch {
    return undefined;
  }
}

/** Sum of file sizes under a folder (a du without following links). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile()) total += (await stat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** A named group of processes (an app's instances, a database's backends) and what it is for. */
export interface ProcessGroup {
  name: string;
  role: ProcessUsage['role'];
  pids: number[];
}

/** What to watch: process groups (looked up anew on every tick), their data folders and self-reported memory. */
export interface ResourceWatch {
  groups: () => ProcessGroup[];
  /** Data folders by group name, e.g. a database's data directory. */
  folders?: Record<string, string>;
  /** Probes of the memory a group reports itself (e.g. Redis INFO used_memory); undefined when it cannot tell. */
  memory?: Record<string, () => Promise<number | undefined>>;
  /** Also sample the load generator's own processes (`runner`, `chromium`); default true. */
  generator?: boolean;
}

/** Each group's CPU share since the last reading (from its pids' tick deltas) and its summed RSS. */
async function readGroups(
  groups: ProcessGroup[],
  lastTicks: Map<number, number>,
  seconds: number,
  lastIo: Map<number, { read: number; write: number }>,
): Promise<ResourceSample['processes']> {
  const processes: ResourceSample['processes'] = {};
  for (const { name, role, pids } of groups) {
    let cpuShare = 0;
    let rss = 0;
    let io: { read: number; write: number } | undefined;
    for (const pid of pids) {
      const p = await readProcess(pid);
      if (!p) continue;
      const prev = lastTicks.get(pid);
      if (prev !== undefined) cpuShare += (p.ticks - prev) / CLOCK_TICKS / seconds;
      lastTicks.set(pid, p.ticks);
      rss += p.rss;
      const now = readProcessIo(pid);
      const before = lastIo.get(pid);
      if (now) lastIo.set(pid, now);
      if (now && before) {
        io ??= { read: 0, write: 0 };
        io.read += Math.max(0, now.read - before.read);
        io.write += Math.max(0, now.write - before.write);
      }
    }
    processes[name] = { cpu: cpuShare, rss, role, ...(io ? { io } : {}) };
  }
  return processes;
}

/** What the memory probes report; a probe that fails or cannot tell is left out. */
async function readUsedMemory(probes: NonNullable<ResourceWatch['memory']>): Promise<Record<string, number>> {
  const usedMemory: Record<string, number> = {};
  for (const [name, probe] of Object.entries(probes)) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) usedMemory[name] = value;
  }
  return usedMemory;
}

/**
 * Samples machine and per-process resources every intervalMs until stopped.
 * CPU is computed from tick deltas between readings, so the first reading only primes the counters.
 */
export function startResourceSampler(watch: ResourceWatch, intervalMs = 1000): { stop(): Promise<ResourceSample[]> } {
  const samples: ResourceSample[] = [];
  let lastMachine: { busy: number; total: number } | undefined;
  const lastTicks = new Map<number, number>();
  const lastIo = new Map<number, { read: number; write: number }>();
  let lastAt = Date.now();
  let diskTick = 0;
  let lastDisk: Record<string, number> = {};
  let busy = false;

  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const now = Date.now();
      const seconds = Math.max((now - lastAt) / 1000, 0.001);
      const machine = await readMachineCpu();
      const cpu = lastMachine ? (machine.busy - lastMachine.busy) / Math.max(machine.total - lastMachine.total, 1) : 0;
      const claimed = watch.groups();
      const groups = watch.generator === false ? claimed : [...claimed, ...generatorGroups(claimed)];
      const processes = await readGroups(groups, lastTicks, seconds, lastIo);
      // Folder sizes cost a walk of the data directory: every fifth reading is often enough.
      if (diskTick++ % 5 === 0) {
        lastDisk = {};
        for (const [name, dir] of Object.entries(watch.folders ?? {})) lastDisk[name] = await folderBytes(dir);
      }
      const usedMemory = await readUsedMemory(watch.memory ?? {});
      if (lastMachine)
        samples.push({ t: now, cpu, memUsed: await readMemUsed(), processes, disk: { ...lastDisk }, usedMemory });
      lastMachine = machine;
      lastAt = now;
    } finally {
      busy = false;
    }
  };
  let pending = tick();
  const timer = setInterval(() => void (pending = tick()), intervalMs);
  timer.unref();
  return {
    /** Stops sampling after one last reading, so even a run shorter than the interval gets a figure. */
    async stop() {
      clearInterval(timer);
      await pending;
      await tick();
      return samples;
    },
  };
}

/** The readings as the result model's resources: seconds since the run started, CPU in percent of one core. */
export function usageOf(samples: ResourceSample[], runStartMs: number): ProcessUsage[] {
  const cores = availableParallelism();
  const byName = new Map<string, ProcessUsage>();
  const add = (name: string, role: ProcessUsage['role'], sample: ProcessUsage['samples'][number]): void => {
    let usage = byName.get(name);
    if (!usage) byName.set(name, (usage = { name, role, samples: [] }));
    usage.samples.push({ ...sample, cpu: Math.max(0, sample.cpu * 100) });
  };
  for (const s of samples) {
    const t = Math.max(0, (s.t - runStartMs) / 1000);
    add('machine', 'other', { t, cpu: s.cpu * cores, rssBytes: s.memUsed });
    for (const [name, p] of Object.entries(s.processes)) {
      // Data folders and self-reported memory are keyed by the same group names.
      const disk = s.disk[name];
      const used = s.usedMemory[name];
      if (p.rss > 0)
        add(name, p.role, {
          t,
          cpu: p.cpu,
          rssBytes: p.rss,
          ...(disk !== undefined ? { diskBytes: disk } : {}),
          ...(used !== undefined ? { usedMemoryBytes: used } : {}),
          ...(p.io ? { diskReadBytes: p.io.read, diskWriteBytes: p.io.write } : {}),
        });
    }
  }
  return [...byName.values()];
}

/** A sampler of the machine and the given process groups, every intervalMs (default 1 s). */
export function processSampler(watch: ResourceWatch, intervalMs = 1000): Sampler {
  return {
    name: 'processes',
    start(ctx) {
      const running = startResourceSampler(watch, intervalMs);
      return { stop: async () => ({ resources: usageOf(await running.stop(), ctx.runStartMs) }) };
    },
  };
}
