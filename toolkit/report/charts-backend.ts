import type { ProcessUsage, Results } from '../results/schema.ts';
import { autoLog, onSharedX, round, type ChartSpec } from './chart-data.ts';

type Sample = ProcessUsage['samples'][number];

/** The roles the resource charts split into: the load generator, the app, the database, Redis, the rest. */
const ROLE_GROUPS: Array<{ label: string; of: (p: ProcessUsage) => boolean }> = [
  { label: 'machine', of: (p) => p.name === 'machine' },
  { label: 'generator', of: (p) => p.role === 'runner' || p.role === 'browser' },
  { label: 'app', of: (p) => p.role === 'app' },
  { label: 'database', of: (p) => p.role === 'database' },
  { label: 'Redis', of: (p) => p.role === 'cache' },
  { label: 'other', of: (p) => p.role === 'other' && p.name !== 'machine' },
];

/** One figure summed over a role group's processes at each sample time. */
function byRole(r: Results, read: (s: Sample, prev: Sample | undefined) => number | undefined, machine = true) {
  const groups = ROLE_GROUPS.filter((g) => machine || g.label !== 'machine').flatMap((g) => {
    const procs = (r.resources ?? []).filter(g.of);
    const sums = new Map<number, number>();
    for (const p of procs)
      p.samples.forEach((s, i) => {
        const v = read(s, p.samples[i - 1]);
        if (v !== undefined) sums.set(s.t, (sums.get(s.t) ?? 0) + v);
      });
    return sums.size ? [{ label: g.label, samples: [...sums].map(([t, v]) => ({ t, v })) }] : [];
  });
  return onSharedX(groups, (s) => s.v, 1);
}

/** CPU, memory and disk I/O by role, data folder size and Redis memory, app instances. */
export function resourceCharts(r: Results): ChartSpec[] {
  const specs: ChartSpec[] = [];
  if (!(r.resources ?? []).some((p) => p.samples.length > 0)) return scalingCharts(r);
  const group = 'resources' as const;
  specs.push(
    autoLog({ id: 'cpu', title: 'CPU by role (% of one core)', unit: '%', group, ...byRole(r, (s) => s.cpu) }),
  );
  specs.push(
    autoLog({ id: 'memory', title: 'Memory by role (RSS)', unit: 'MB', group, ...byRole(r, (s) => s.rssBytes / 1e6) }),
  );
  // Per process from /proc/<pid>/io: bytes since the previous sample over the time between them.
  const io = byRole(
    r,
    (s, prev) =>
      s.diskReadBytes === undefined || !prev
        ? undefined
        : (s.diskReadBytes + (s.diskWriteBytes ?? 0)) / 1e6 / Math.max(0.1, s.t - prev.t),
    false,
  );
  if (io.series.length > 0)
    specs.push(autoLog({ id: 'disk-io', title: 'Disk I/O by role (read + write)', unit: 'MB/s', group, ...io }));
  const folders = (r.resources ?? []).filter((p) => p.samples.some((s) => s.diskBytes !== undefined));
  if (folders.length > 0)
    specs.push({
      id: 'disk',
      title: 'Data folder size (disk)',
      unit: 'MB',
      group,
      ...onSharedX(
        folders.map((p) => ({ label: p.name, samples: p.samples })),
        (s) => (s.diskBytes === undefined ? undefined : s.diskBytes / 1e6),
      ),
    });
  const used = (r.resources ?? []).filter((p) => p.samples.some((s) => s.usedMemoryBytes !== undefined));
  if (used.length > 0)
    specs.push({
      id: 'used-memory',
      title: 'Data in memory (Redis used_memory)',
      unit: 'MB',
      group,
      ...onSharedX(
        used.map((p) => ({ label: p.name, samples: p.samples })),
        (s) => (s.usedMemoryBytes === undefined ? undefined : s.usedMemoryBytes / 1e6),
      ),
    });
  return [...specs, ...scalingCharts(r)];
}

function scalingCharts(r: Results): ChartSpec[] {
  const scaling = r.scaling?.series ?? [];
  if (scaling.length === 0) return [];
  return [
    {
      id: 'instances',
      title: 'App instances over time',
      unit: '',
      x: scaling.map((p) => p.t),
      series: [{ label: 'instances', values: scaling.map((p) => p.instances) }],
      integer: true,
    },
  ];
}

/** The database servers over the run: replica lag (seconds and bytes), connections per server, buffer hit ratio. */
export function databaseCharts(r: Results): ChartSpec[] {
  const points = r.database?.series ?? [];
  if (points.length === 0) return [];
  const x = points.map((p) => p.t);
  const group = 'database' as const;
  const specs: ChartSpec[] = [];
  if (points.some((p) => p.replicaLagSeconds !== null || p.replicaLagBytes !== null)) {
    specs.push({
      id: 'replica-lag',
      title: 'Replica lag (time behind)',
      unit: 's',
      group,
      x,
      series: [{ label: 'lag', values: points.map((p) => round(p.replicaLagSeconds, 3)) }],
    });
    const most = Math.max(0, ...points.map((p) => p.replicaLagBytes ?? 0));
    // Bytes while the lag stays small, kB once it is not: the axis reads in whole numbers either way.
    const kb = most >= 10_000;
    specs.push({
      id: 'replica-lag-bytes',
      title: 'Replica lag (WAL not replayed)',
      unit: kb ? 'kB' : 'B',
      group,
      x,
      series: [
        {
          label: 'WAL behind',
          values: points.map((p) =>
            p.replicaLagBytes === null ? null : round(kb ? p.replicaLagBytes / 1000 : p.replicaLagBytes, 1),
          ),
        },
      ],
    });
  }
  const servers = [...new Set(points.flatMap((p) => Object.keys(p.connections)))];
  if (servers.length > 0)
    specs.push({
      id: 'db-connections',
      title: 'Client connections per server',
      unit: '',
      integer: true,
      group,
      x,
      series: servers.map((s) => ({ label: s, values: points.map((p) => p.connections[s] ?? null) })),
    });
  if (points.some((p) => p.cacheHitRatio !== null))
    specs.push({
      id: 'db-hit-ratio',
      title: 'Buffer cache hit ratio',
      unit: '%',
      group,
      x,
      series: [
        {
          label: 'hit ratio',
          values: points.map((p) => round(p.cacheHitRatio === null ? null : p.cacheHitRatio * 100, 2)),
        },
      ],
    });
  return specs;
}
