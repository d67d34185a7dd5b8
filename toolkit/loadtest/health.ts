/**
 * Machine health: what the run was measured on (cores, CPU, memory, OS,
 * Node) and how saturated the machine was while measuring, sampled once a
 * second from /proc (total CPU against the cores, run queue, steal) and from
 * this process (the load generator's own CPU). When the machine or the
 * generator was saturated for a meaningful share of the run, the results get
 * a measurementWarnings entry: the figures may say more about the machine than
 * about the app.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { MachineFacts, MeasurementWarning } from '../results/index.ts';

/** Busy share of all cores at or above which a second counts as saturated. */
const SATURATED = 0.9;
/** Share of the sampled seconds that makes saturation worth a warning. */
const MEANINGFUL = 0.2;

interface CpuTimes {
  busy: number;
  total: number;
  steal: number;
}

/** The aggregate `cpu` line of /proc/stat, or undefined off Linux. */
function readCpu(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: total - idle - iowait, total, steal };
  } catch {
    return undefined;
  }
}

/** The 1-minute load average, or null where /proc has none. */
function readLoad(): number | null {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/** The machine as results.json records it. */
export function machineFacts(
  versions: Partial<Pick<MachineFacts, 'k6' | 'chromium' | 'lighthouse' | 'benchmarkIndex'>> = {},
): MachineFacts {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ...versions,
  };
}

/** One second of the machine: busy share of all cores, steal share, load per core, the generator's share of one core. */
interface HealthSample {
  busy: number;
  steal: number;
  loadPerCore: number | null;
  generator: number;
}

/** A running health sampler; stop() gives the warnings (empty when the machine kept up). */
export interface HealthSampler {
  stop(): { samples: number; warnings: MeasurementWarning[] };
}

/** What the samples say: one warning each for a saturated machine, steal, and a saturated load generator. */
export function healthWarnings(samples: HealthSample[], cores: number): MeasurementWarning[] {
  if (samples.length === 0) return [];
  const share = (pick: (s: HealthSample) => boolean): number => samples.filter(pick).length / samples.length;
  const pct = (x: number): string => `${Math.round(x * 100)} %`;
  const out: MeasurementWarning[] = [];
  const saturated = share((s) => s.busy >= SATURATED || (s.loadPerCore ?? 0) >= 1.5);
  if (saturated >= MEANINGFUL) {
    const maxLoad = Math.max(...samples.map((s) => s.loadPerCore ?? 0));
    out.push({
      kind: 'machine-saturated',
      share: saturated,
      message: `the machine was saturated for ${pct(saturated)} of the run (CPU >= ${pct(SATURATED)} of ${cores} cores or a run queue of 1.5 per core; load up to ${maxLoad.toFixed(1)} per core): the figures may be slower than the app is`,
    });
  }
  const stolen = share((s) => s.steal >= 0.1);
  if (stolen >= MEANINGFUL)
    out.push({
      kind: 'cpu-steal',
      share: stolen,
      message: `the hypervisor took >= 10 % of the CPU (steal) for ${pct(stolen)} of the run`,
    });
  const generator = share((s) => s.generator >= SATURATED);
  if (generator >= MEANINGFUL)
    out.push({
      kind: 'generator-saturated',
      share: generator,
      message: `the load generator used >= ${pct(SATURATED)} of a core for ${pct(generator)} of the run: it may not have sent the load asked for`,
    });
  return out;
}

/** Samples the machine once a second until stop(). */
export function startHealthSampler(intervalMs = 1000): HealthSampler {
  const cores = os.availableParallelism();
  const samples: HealthSample[] = [];
  let lastCpu = readCpu();
  let lastOwn = process.cpuUsage();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const cpu = readCpu();
    const own = process.cpuUsage();
    const now = performance.now();
    if (cpu && lastCpu && cpu.total > lastCpu.total) {
      const total = cpu.total - lastCpu.total;
      const load = readLoad();
      samples.push({
        busy: (cpu.busy - lastCpu.busy) / total,
        steal: (cpu.steal - lastCpu.steal) / total,
        loadPerCore: load === null ? null : load / cores,
        generator: (own.user - lastOwn.user + own.system - lastOwn.system) / 1000 / Math.max(1, now - lastAt),
      });
    }
    lastCpu = cpu;
    lastOwn = own;
    lastAt = now;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return { samples: samples.length, warnings: healthWarnings(samples, cores) };
    },
  };
}
