/**
 * The load generator's own processes, so the report can tell the generator's
 * CPU from the target's: this process and whatever it started that no target
 * group claims (the real k6 binary, tools), with Chromium's processes apart.
 */
import { readFileSync } from 'node:fs';
import { descendantPids } from '../process/processes.ts';
import type { ProcessGroup } from './process-sampler.ts';

const isChromium = (pid: number): boolean => {
  try {
    return /chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'));
  } catch {
    return false;
  }
};

/** `runner` (this process and its unclaimed children) and `chromium` (the browser's processes). */
export function generatorGroups(claimed: ProcessGroup[], self = process.pid): ProcessGroup[] {
  const taken = new Set(claimed.flatMap((g) => g.pids));
  const mine = [self, ...descendantPids(self)].filter((pid) => !taken.has(pid));
  const browser = mine.filter(isChromium);
  const runner = mine.filter((pid) => !browser.includes(pid));
  return [
    { name: 'runner', role: 'runner', pids: runner },
    { name: 'chromium', role: 'browser', pids: browser },
  ];
}

/** Bytes a process read from and wrote to storage so far (/proc/<pid>/io), or undefined when it cannot be read. */
export function readProcessIo(pid: number): { read: number; write: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    const read = field('read_bytes');
    const write = field('write_bytes');
    return Number.isFinite(read) && Number.isFinite(write) ? { read, write } : undefined;
  } catch {
    return undefined;
  }
}
