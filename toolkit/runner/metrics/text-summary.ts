import { humanizeValue } from './format.ts';
import {
  computeTableInfo, Painter, renderRow, sortMetricNames, type TableInfo, type TableRow,
} from './text-table.ts';
import type { K6SummaryData, K6SummaryGroup, K6SummaryMetric } from './types.ts';

/** Options of the text summary. */
export interface TextSummaryOptions {
  /** ANSI colors (k6 uses them on a terminal unless --no-color). Default false. */
  colors?: boolean;
  /** compact (k6's default) hides http_req_blocked/connecting/tls_handshaking/sending/waiting/receiving; full shows them. */
  mode?: 'compact' | 'full';
}

const NEWLINE = '\n';
const INDENT = '    ';
const SECTION_ORDER = ['custom', 'http', 'execution', 'network', 'browser', 'webvitals', 'grpc', 'websocket'] as const;
type SectionName = (typeof SECTION_ORDER)[number];

const HTTP = ['http_reqs', 'http_req_failed', 'http_req_duration', 'http_req_blocked', 'http_req_connecting',
  'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'];
const EXECUTION = ['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations'];
const NETWORK = ['data_sent', 'data_received'];
const COMPACT_HIDDEN = ['http_req_blocked', 'http_req_connecting', 'http_req_receiving', 'http_req_sending',
  'http_req_tls_handshaking', 'http_req_waiting'];

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

function thresholdValue(name: string, metric: K6SummaryMetric, source: string, info: TableInfo, timeUnit: string): string | undefined {
  const agg = (source.split(/[=><!]/)[0] ?? '').trim();
  if (metric.type === 'trend') {
    const col = info.trendCols.get(name)?.[info.stats.indexOf(agg)];
    if (col !== undefined && col !== '') return col;
    const raw = metric.values[agg];
    return raw === undefined ? undefined : humanizeValue(raw, metric, timeUnit);
  }
  if (metric.type === 'counter' && agg !== 'count') return info.extras.get(name)?.[0];
  return info.values.get(name);
}

function renderThresholds(data: K6SummaryData, p: Painter): string[] {
  const names = sortMetricNames(Object.keys(data.metrics).filter((name) => data.metrics[name]?.thresholds !== undefined));
  const rows = names.map((name) => ({ name, metric: data.metrics[name] as K6SummaryMetric }));
  const info = computeTableInfo(rows, INDENT, data.options.summaryTrendStats, data.options.summaryTimeUnit);
  const lines: string[] = [];
  for (const { name, metric } of rows) {
    const parent = name.split('{', 1)[0] ?? name;
    const nested = parent !== name && names.includes(parent);
    const indent = nested ? `${INDENT}  ` : INDENT;
    lines.push(indent + (nested ? name.slice(parent.length) : name));
    for (const [source, { ok }] of Object.entries(metric.thresholds ?? {})) {
      const mark = ok ? p.paint('✓', 'green') : p.paint('✗', 'red');
      const value = thresholdValue(name, metric, source, info, data.options.summaryTimeUnit);
      const agg = (source.split(/[=><!]/)[0] ?? '').trim();
      const valueText = value === undefined ? [] : [`${p.paint(agg, 'white')}=${p.paint(value, 'cyan')}`];
      lines.push(indent + [mark, p.paint(`'${source}'`, 'white'), ...valueText].join(' '));
    }
    lines.push(NEWLINE);
  }
  return lines;
}

/** Checks of every group merged by name, in tree order (k6's compact summary keys them by name). */
function checksByName(group: K6SummaryGroup, into = new Map<string, { passes: number; fails: number }>()): Map<string, { passes: number; fails: number }> {
  for (const check of group.checks) {
    const tally = into.get(check.name) ?? { passes: 0, fails: 0 };
    tally.passes += check.passes;
    tally.fails += check.fails;
    into.set(check.name, tally);
  }
  for (const child of group.groups) checksByName(child, into);
  return into;
}

function renderChecks(data: K6SummaryData, p: Painter): string[] {
  const checks = data.metrics['checks'];
  if (checks === undefined) return [];
  const passes = checks.values['passes'] ?? 0;
  const fails = checks.values['fails'] ?? 0;
  const total = passes + fails;
  const seconds = data.state.testRunDurationMs / 1000;
  const rows: TableRow[] = [
    { name: 'checks_total', metric: { type: 'counter', contains: 'default', values: { count: total, rate: seconds > 0 ? total / seconds : 0 } } },
    { name: 'checks_succeeded', metric: { type: 'rate', contains: 'default', values: { rate: total ? passes / total : 0, passes, fails } } },
    { name: 'checks_failed', metric: { type: 'rate', contains: 'default', values: { rate: total ? fails / total : 0, passes: fails, fails: passes } } },
  ];
  const info = computeTableInfo(rows, INDENT, data.options.summaryTrendStats, data.options.summaryTimeUnit);
  const lines = rows.map((row) => renderRow(row, info, INDENT, p));
  lines.push(NEWLINE);
  for (const [name, tally] of checksByName(data.root_group)) {
    if (tally.fails === 0) {
      lines.push(INDENT + p.paint(`✓ ${name}`, 'green'));
      continue;
    }
    const pct = Math.floor((100 * tally.passes) / (tally.passes + tally.fails));
    lines.push(`${INDENT}${p.paint(`✗ ${name}`, 'red')}\n${INDENT}  ${p.paint(`↳  ${pct}% — ✓ ${tally.passes} / ✗ ${tally.fails}`, 'red')}`);
  }
  lines.push(NEWLINE);
  return lines;
}

function renderMetricSections(data: K6SummaryData, mode: 'compact' | 'full', p: Painter): string[] {
  const bySection = new Map<SectionName, string[]>();
  for (const name of Object.keys(data.metrics)) {
    const section = sectionOf(name, mode);
    if (section !== undefined) bySection.set(section, [...(bySection.get(section) ?? []), name]);
  }
  const rowsOf = (names: string[]): TableRow[] => sortMetricNames(names).map((name) => ({ name, metric: data.metrics[name] as K6SummaryMetric }));
  const all = rowsOf([...bySection.values()].flat());
  const info = computeTableInfo(all, INDENT, data.options.summaryTrendStats, data.options.summaryTimeUnit);
  return SECTION_ORDER.filter((section) => bySection.has(section)).flatMap((section) => [
    INDENT + p.bold(section.toUpperCase()),
    ...rowsOf(bySection.get(section) ?? []).map((row) => renderRow(row, info, INDENT, p)),
    NEWLINE,
  ]);
}

/**
 * The end-of-test text summary exactly as k6 v1.3 writes it to stdout (compact mode):
 * THRESHOLDS, then TOTAL RESULTS with checks and the CUSTOM/HTTP/EXECUTION/NETWORK blocks.
 * Group and scenario blocks of k6's full mode are not rendered.
 */
export function renderTextSummary(data: K6SummaryData, opts: TextSummaryOptions = {}): string {
  const p = new Painter(opts.colors ?? false);
  const sections: Array<{ title: string; content: string[] }> = [];
  if (Object.values(data.metrics).some((metric) => metric.thresholds !== undefined)) {
    sections.push({ title: 'THRESHOLDS', content: renderThresholds(data, p) });
  }
  sections.push({
    title: 'TOTAL RESULTS',
    content: [...renderChecks(data, p), ...renderMetricSections(data, opts.mode ?? 'compact', p)],
  });
  const body = sections
    .flatMap((section) => [`  █ ${p.bold(section.title)} \n`, ...section.content, NEWLINE])
    .reduce((text, item) => (item === NEWLINE ? text + item : `${text}\n${item}`), '');
  return `\n${body}\n\n`;
}
