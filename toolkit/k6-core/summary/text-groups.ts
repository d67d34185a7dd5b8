import type { BreakdownNode, SummaryBreakdown } from '../metrics/index.ts';
import { metricValues } from './summary-data.ts';
import { computeTableInfo, renderRow, sortMetricNames, type Painter, type TableRow } from './text-table.ts';
import type { K6SummaryData, K6SummaryGroup, K6SummaryMetric } from './types.ts';

/** What one block of the text summary shows: totals, a scenario or a group. */
export interface ReportGroup {
  checks: { passes: number; fails: number; byName: Map<string, { passes: number; fails: number }> } | undefined;
  metrics: Record<string, K6SummaryMetric>;
  groups: Map<string, ReportGroup>;
}

/** Display options shared by every block. */
export interface BlockOptions {
  mode: 'compact' | 'full';
  p: Painter;
  trendStats: readonly string[];
  timeUnit: string;
  durationMs: number;
}

export const NEWLINE = '\n';
const SECTION_ORDER = ['custom', 'http', 'execution', 'network', 'browser', 'webvitals', 'grpc', 'websocket'] as const;
type SectionName = (typeof SECTION_ORDER)[number];
const HTTP = [
  'http_reqs',
  'http_req_failed',
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
];
const EXECUTION = ['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations'];
const NETWORK = ['data_sent', 'data_received'];
const COMPACT_HIDDEN = [
  'http_req_blocked',
  'http_req_connecting',
  'http_req_receiving',
  'http_req_sending',
  'http_req_tls_handshaking',
  'http_req_waiting',
];

/** Two spaces per level, as k6's RenderContext. */
export const indentOf = (base: number, level = 1): string => ' '.repeat((base + level) * 2);

// k6 matches these lists by prefix, so sub-metrics follow their parent (and so do look-alike custom names).
const hasPrefix = (name: string, list: readonly string[]): boolean => list.some((prefix) => name.startsWith(prefix));

function sectionOf(name: string, mode: 'compact' | 'full'): SectionName | undefined {
  if (hasPrefix(name, ['checks', 'group_duration'])) return undefined;
  if (mode === 'compact' && hasPrefix(name, COMPACT_HIDDEN)) return undefined;
  if (hasPrefix(name, HTTP)) return 'http';
  if (hasPrefix(name, EXECUTION)) return 'execution';
  if (hasPrefix(name, NETWORK)) return 'network';
  if (name.startsWith('browser_web_vital_')) return 'webvitals';
  if (name.startsWith('browser_')) return 'browser';
  if (name.startsWith('grpc_')) return 'grpc';
  if (name.startsWith('ws_')) return 'websocket';
  return 'custom';
}

/** Checks of every group merged by name, in tree order (k6's totals key them by name). */
function checksByName(
  group: K6SummaryGroup,
  into = new Map<string, { passes: number; fails: number }>(),
): Map<string, { passes: number; fails: number }> {
  for (const check of group.checks) {
    const tally = into.get(check.name) ?? { passes: 0, fails: 0 };
    tally.passes += check.passes;
    tally.fails += check.fails;
    into.set(check.name, tally);
  }
  for (const child of group.groups) checksByName(child, into);
  return into;
}

/** The TOTAL RESULTS block from handleSummary data. */
export function totalsGroup(data: K6SummaryData): ReportGroup {
  const checks = data.metrics['checks'];
  return {
    checks:
      checks === undefined
        ? undefined
        : {
            passes: checks.values['passes'] ?? 0,
            fails: checks.values['fails'] ?? 0,
            byName: checksByName(data.root_group),
          },
    metrics: data.metrics,
    groups: new Map(),
  };
}

/** A scenario or group block from the full-mode breakdown. */
export function breakdownGroup(node: BreakdownNode, opts: BlockOptions): ReportGroup {
  const metrics: Record<string, K6SummaryMetric> = {};
  for (const [name, { def, sink }] of node.metrics) {
    metrics[name] = {
      type: def.type,
      contains: def.contains,
      values: metricValues({ sink }, opts.trendStats, opts.durationMs),
    };
  }
  const checks = node.metrics.get('checks')?.sink;
  const groups = new Map([...node.groups].map(([name, child]) => [name, breakdownGroup(child, opts)]));
  return {
    checks: checks?.type === 'rate' ? { passes: checks.passes, fails: checks.fails, byName: node.checks } : undefined,
    metrics,
    groups,
  };
}

function renderChecks(checks: NonNullable<ReportGroup['checks']>, base: number, opts: BlockOptions): string[] {
  const { passes, fails, byName } = checks;
  const total = passes + fails;
  const seconds = opts.durationMs / 1000;
  const rows: TableRow[] = [
    {
      name: 'checks_total',
      metric: {
        type: 'counter',
        contains: 'default',
        values: { count: total, rate: seconds > 0 ? total / seconds : 0 },
      },
    },
    {
      name: 'checks_succeeded',
      metric: { type: 'rate', contains: 'default', values: { rate: total ? passes / total : 0, passes, fails } },
    },
    {
      name: 'checks_failed',
      metric: {
        type: 'rate',
        contains: 'default',
        values: { rate: total ? fails / total : 0, passes: fails, fails: passes },
      },
    },
  ];
  const indent = indentOf(base + 1);
  const info = computeTableInfo(rows, indent, opts.trendStats, opts.timeUnit);
  const lines = rows.map((row) => renderRow(row, info, indent, opts.p));
  lines.push(NEWLINE);
  for (const [name, tally] of byName) {
    if (tally.fails === 0) {
      lines.push(indent + opts.p.paint(`✓ ${name}`, 'green'));
      continue;
    }
    const pct = Math.floor((100 * tally.passes) / (tally.passes + tally.fails));
    // k6 indents the detail line by base + (base + 1) levels, hence 6 spaces at the top.
    const detail =
      indentOf(base + 1, base + 2) + opts.p.paint(`↳  ${pct}% — ✓ ${tally.passes} / ✗ ${tally.fails}`, 'red');
    lines.push(`${indent}${opts.p.paint(`✗ ${name}`, 'red')}\n${detail}`);
  }
  return [...lines, NEWLINE];
}

function renderMetricBlocks(metrics: Record<string, K6SummaryMetric>, base: number, opts: BlockOptions): string[] {
  const bySection = new Map<SectionName, string[]>();
  for (const name of Object.keys(metrics)) {
    const section = sectionOf(name, opts.mode);
    if (section !== undefined) bySection.set(section, [...(bySection.get(section) ?? []), name]);
  }
  const rowsOf = (names: string[]): TableRow[] =>
    sortMetricNames(names).map((name) => ({ name, metric: metrics[name] as K6SummaryMetric }));
  const indent = indentOf(base + 1);
  // Names, values and columns align across all the blocks of one group.
  const info = computeTableInfo(rowsOf([...bySection.values()].flat()), indent, opts.trendStats, opts.timeUnit);
  return SECTION_ORDER.filter((section) => bySection.has(section)).flatMap((section) => [
    indent + opts.p.bold(section.toUpperCase()),
    ...rowsOf(bySection.get(section) ?? []).map((row) => renderRow(row, info, indent, opts.p)),
    NEWLINE,
  ]);
}

/** Checks, metric blocks and nested groups of one block; nested groups always sit one level in, as in k6. */
export function renderGroupContent(group: ReportGroup, base: number, opts: BlockOptions): string[] {
  const nested = [...group.groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, child]) => [
      `${indentOf(1)}↳ ${opts.p.bold(`GROUP: ${name}`)} `,
      ...renderGroupContent(child, 1, opts),
    ]);
  return [
    ...(group.checks === undefined ? [] : renderChecks(group.checks, base, opts)),
    ...renderMetricBlocks(group.metrics, base, opts),
    ...nested,
  ];
}

/** Top-level GROUP and SCENARIO blocks of the full mode, sorted by name. */
export function breakdownSections(
  breakdown: SummaryBreakdown,
  opts: BlockOptions,
): Array<{ title: string; content: string[] }> {
  const sorted = (map: Map<string, BreakdownNode>): Array<[string, BreakdownNode]> =>
    [...map].sort(([a], [b]) => a.localeCompare(b));
  return [
    ...sorted(breakdown.root.groups).map(([name, node]) => ({
      title: `GROUP: ${name}`,
      content: renderGroupContent(breakdownGroup(node, opts), 0, opts),
    })),
    ...sorted(breakdown.scenarios).map(([name, node]) => ({
      title: `SCENARIO: ${name}`,
      content: renderGroupContent(breakdownGroup(node, opts), 0, opts),
    })),
  ];
}
