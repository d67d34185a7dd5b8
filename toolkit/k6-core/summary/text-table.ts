import { humanizeValue, strWidth } from './format.ts';
import type { K6SummaryMetric } from './types.ts';

/** Colors on or off, as k6's ANSIFormatter. */
export class Painter {
  constructor(private readonly colors: boolean) {}

  paint(text: string, color: 'green' | 'red' | 'white' | 'cyan', ...styles: Array<'faint' | 'bold'>): string {
    if (!this.colors) return text;
    const codes = { green: '32', red: '31', white: '37', cyan: '36' };
    const styleCodes = { faint: '2', bold: '1' };
    return `\x1b[${[...styles.map((s) => styleCodes[s]), codes[color]].join(';')}m${text}\x1b[0m`;
  }

  bold(text: string): string {
    return this.colors ? `\x1b[1m${text}\x1b[0m` : text;
  }
}

/** One metric row of a summary table. */
export interface TableRow {
  name: string;
  metric: Pick<K6SummaryMetric, 'type' | 'contains' | 'values'>;
}

/** Column widths and formatted cells shared by every row of one rendered block (k6 aligns across sections). */
export interface TableInfo {
  maxNameWidth: number;
  trendCols: Map<string, string[]>;
  trendColMax: number[];
  values: Map<string, string>;
  extras: Map<string, string[]>;
  maxValueWidth: number;
  extraMax: number[];
  stats: readonly string[];
}

/** `{ expected_response:true }` for sub-metrics, the name itself otherwise. */
export function displayName(name: string): string {
  const brace = name.indexOf('{');
  return brace < 0 ? name : `{ ${name.slice(brace + 1, -1)} }`;
}

/** Indentation of a metric row: sub-metrics sit one level under their parent. */
export const rowIndent = (base: string, name: string): string => (name.includes('{') ? `${base}  ` : base);

/** The main value and the extra columns of a counter, gauge or rate. */
export function nonTrendCells(metric: TableRow['metric'], timeUnit: string): string[] {
  const v = metric.values;
  const h = (value: number | undefined): string => humanizeValue(value ?? 0, metric, timeUnit);
  switch (metric.type) {
    case 'counter':
      return [h(v['count']), `${h(v['rate'])}/s`];
    case 'gauge':
      return [h(v['value']), `min=${h(v['min'])}`, `max=${h(v['max'])}`];
    case 'rate':
      return [h(v['rate']), `${v['passes'] ?? 0} out of ${(v['passes'] ?? 0) + (v['fails'] ?? 0)}`];
    default:
      return ['[no data]'];
  }
}

function trendCell(metric: TableRow['metric'], stat: string, timeUnit: string): string {
  const value = metric.values[stat];
  if (value === undefined) return '';
  return stat === 'count' ? String(value) : humanizeValue(value, metric, timeUnit);
}

/** Precomputes every cell and the widest name, value and column, as k6's computeSummaryInfo. */
export function computeTableInfo(
  rows: readonly TableRow[],
  baseIndent: string,
  stats: readonly string[],
  timeUnit: string,
): TableInfo {
  const info: TableInfo = {
    maxNameWidth: 0,
    trendCols: new Map(),
    trendColMax: stats.map(() => 0),
    values: new Map(),
    extras: new Map(),
    maxValueWidth: 0,
    extraMax: [],
    stats,
  };
  for (const { name, metric } of rows) {
    info.maxNameWidth = Math.max(info.maxNameWidth, strWidth(rowIndent(baseIndent, name) + displayName(name)));
    if (metric.type === 'trend') {
      const cols = stats.map((stat) => trendCell(metric, stat, timeUnit));
      cols.forEach((col, i) => (info.trendColMax[i] = Math.max(info.trendColMax[i] ?? 0, strWidth(col))));
      info.trendCols.set(name, cols);
      continue;
    }
    const [main = '', ...extras] = nonTrendCells(metric, timeUnit);
    info.values.set(name, main);
    info.maxValueWidth = Math.max(info.maxValueWidth, strWidth(main));
    info.extras.set(name, extras);
    extras.forEach((extra, i) => (info.extraMax[i] = Math.max(info.extraMax[i] ?? 0, strWidth(extra))));
  }
  return info;
}

function trendData(name: string, info: TableInfo, p: Painter): string {
  const cols = info.trendCols.get(name) ?? [];
  return cols
    .map(
      (col, i) =>
        `${info.stats[i] ?? ''}=${p.paint(col, 'cyan')}${' '.repeat((info.trendColMax[i] ?? 0) - strWidth(col))}`,
    )
    .join(' ');
}

function nonTrendData(name: string, info: TableInfo, p: Painter): string {
  const value = info.values.get(name) ?? '';
  const extras = info.extras.get(name) ?? [];
  let text = p.paint(value, 'cyan') + ' '.repeat(info.maxValueWidth - strWidth(value));
  if (extras.length === 1) {
    text += ` ${p.paint(extras[0] ?? '', 'cyan', 'faint')}`;
  } else if (extras.length > 1) {
    const parts = extras.map(
      (extra, i) => p.paint(extra, 'cyan', 'faint') + ' '.repeat((info.extraMax[i] ?? 0) - strWidth(extra)),
    );
    text += ` ${parts.join(' ')}`;
  }
  return text;
}

/** `    http_req_duration......: avg=… min=…` with dots up to the widest name. */
export function renderRow(row: TableRow, info: TableInfo, baseIndent: string, p: Painter): string {
  const indent = rowIndent(baseIndent, row.name);
  const shown = displayName(row.name);
  const dots = Math.max(info.maxNameWidth - strWidth(shown) - strWidth(indent) + 3, 0);
  const data = row.metric.type === 'trend' ? trendData(row.name, info, p) : nonTrendData(row.name, info, p);
  return `${indent}${shown}${p.paint(`${'.'.repeat(dots)}:`, 'white', 'faint')} ${data}`;
}

/** Parent name first, then the sub-metric suffix, as k6's sortMetricsByName. */
export function sortMetricNames(names: string[]): string[] {
  const parent = (name: string): string => name.split('{', 1)[0] ?? name;
  return names.sort(
    (a, b) => parent(a).localeCompare(parent(b)) || a.slice(parent(a).length).localeCompare(b.slice(parent(b).length)),
  );
}
