/** The machine a run was measured on, in words: the console's `machine:` line and summary.md's `Machine:` line. */
import type { MachineFacts } from './schema.ts';

const GIB = 1024 ** 3;

/** Memory in GiB: whole numbers from 10 GiB up, one decimal below. */
function gib(bytes: number): string {
  const n = bytes / GIB;
  return `${n >= 10 ? Math.round(n) : Math.round(n * 10) / 10} GiB`;
}

/**
 * `2 cores (AMD EPYC), 24 GiB, Linux 6.1 x64, Node v20.19.0, k6 v1.3.0, Chromium 143.0.7499.40,
 * Lighthouse 12.8.2, benchmarkIndex 1450`; what was not recorded is left out.
 */
export function describeMachine(m: MachineFacts): string {
  return [
    `${m.cores} ${m.cores === 1 ? 'core' : 'cores'} (${m.cpuModel})`,
    gib(m.memoryBytes),
    m.os,
    `Node ${m.node}`,
    m.k6 === undefined ? undefined : `k6 ${m.k6}`,
    m.chromium === undefined ? undefined : `Chromium ${m.chromium}`,
    m.lighthouse === undefined ? undefined : `Lighthouse ${m.lighthouse}`,
    m.benchmarkIndex === undefined ? undefined : `benchmarkIndex ${Math.round(m.benchmarkIndex)}`,
  ]
    .filter((part): part is string => part !== undefined)
    .join(', ');
}

/** A browser's version string (`HeadlessChrome/143.0.7499.40`, `Chrome/…`) as its version number. */
export function browserVersionNumber(version: string): string {
  return /\/(\d[\w.]*)\s*$/.exec(version)?.[1] ?? version;
}
