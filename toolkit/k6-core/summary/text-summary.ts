import type { SummaryBreakdown } from '../metrics/index.ts';
import { humanizeValue } from './format.ts';
import { breakdownSections, NEWLINE, renderGroupContent, totalsGroup, type BlockOptions } from './text-groups.ts';
import { computeTableInfo, Painter, sortMetricNames, type TableInfo } from './text-table.ts';
import type { K6SummaryData, K6SummaryMetric } from './types.ts';

/** Options of the text summary. */
export interface TextSummaryOptions {
  /** ANSI colors (k6 uses them on a terminal unless --no-color). Default false. */
  colors?: boolean;
  /**
   * compact (k6's default) hides http_req_blocked/connecting/tls_handshaking/sending/waiting/receiving;
   * full shows them and, given the registry's breakdown, adds GROUP and SCENARIO blocks.
   */
  mode?: 'compact' | 'full';
  /** registry.breakdown of a registry created with { breakdown: true }; used in full mode only. */
  breakdown?: SummaryBreakdown;
}

const INDENT = '    ';

function thresholdValue(
  name: string,
  metric: K6SummaryMetric,
  agg: string,
  info: TableInfo,
  timeUnit: string,
): string | undefined {
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
  const names = sortMetricNames(
    Object.keys(data.metrics).filter((name) => data.metrics[name]?.thresholds !== undefined),
  );
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
      const agg = (source.split(/[=><!]/)[0] ?? '').trim();
      const value = thresholdValue(name, metric, agg, info, data.options.summaryTimeUnit);
      const valueText = value === undefined ? [] : [`${p.paint(agg, 'white')}=${p.paint(value, 'cyan')}`];
      lines.push(indent + [mark, p.paint(`'${source}'`, 'white'), ...valueText].join(' '));
    }
    lines.push(NEWLINE);
  }
  return lines;
}

/**
 * The end-of-test text summary exactly as k6 v1.3 writes it to stdout, leading and trailing
 * blank lines included: THRESHOLDS, then TOTAL RESULTS with checks and the CUSTOM/HTTP/
 * EXECUTION/NETWORK blocks; in full mode also GROUP and SCENARIO blocks when a breakdown is given.
 */
export function renderTextSummary(data: K6SummaryData, opts: TextSummaryOptions = {}): string {
  const p = new Painter(opts.colors ?? false);
  const block: BlockOptions = {
    mode: opts.mode ?? 'compact',
    p,
    trendStats: data.options.summaryTrendStats,
    timeUnit: data.options.summaryTimeUnit,
    durationMs: data.state.testRunDurationMs,
  };
  const sections: Array<{ title: string; content: string[] }> = [];
  if (Object.values(data.metrics).some((metric) => metric.thresholds !== undefined)) {
    sections.push({ title: 'THRESHOLDS', content: renderThresholds(data, p) });
  }
  sections.push({ title: 'TOTAL RESULTS', content: renderGroupContent(totalsGroup(data), 0, block) });
  if (block.mode === 'full' && opts.breakdown !== undefined) sections.push(...breakdownSections(opts.breakdown, block));
  const body = sections
    .flatMap((section) => [`  █ ${p.bold(section.title)} \n`, ...section.content, NEWLINE])
    .reduce((text, item) => (item === NEWLINE ? text + item : `${text}\n${item}`), '');
  return `\n${body}\n\n`;
}
