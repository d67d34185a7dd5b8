import { createHash } from 'node:crypto';
import { ToolkitError } from '../../errors.ts';
import type { MetricsRegistry, MetricState } from '../metrics/index.ts';
import type { ThresholdResult, ThresholdSpec } from '../thresholds/index.ts';
import type { K6SummaryCheck, K6SummaryData, K6SummaryGroup } from './types.ts';

/** Everything the end-of-test summary is built from. */
export interface SummaryInput {
  registry: MetricsRegistry;
  thresholds: ThresholdResult[];
  specs: ThresholdSpec[];
  summaryTrendStats: string[];
  summaryTimeUnit?: string;
  testRunDurationMs: number;
  isStdOutTTY: boolean;
  isStdErrTTY: boolean;
  noColor: boolean;
  /** setup()'s return value as JSON; null or absent when setup() returned undefined (no setup_data then). */
  setupJson?: string | null;
}

/** k6's default --summary-trend-stats. */
export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

const TREND_STAT_RE = /^p\((\d+(\.\d+)?)\)$/;

/** Rejects trend stats k6 does not know (avg, min, med, max, count, p(N) with 0 <= N <= 100). */
export function validateTrendStats(stats: readonly string[]): void {
  for (const stat of stats) {
    if (['avg', 'min', 'med', 'max', 'count'].includes(stat)) continue;
    const pct = TREND_STAT_RE.exec(stat)?.[1];
    if (pct !== undefined && Number(pct) <= 100) continue;
    throw new ToolkitError('USAGE', `invalid summaryTrendStats value '${stat}'`, {
      fix: 'use avg, min, med, max, count or p(N) with N between 0 and 100, e.g. --summary-trend-stats "avg,p(95),p(99.9)"',
    });
  }
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** The `values` object k6 shows for a metric: counter count/rate, gauge value/min/max, rate rate/passes/fails, trend stats. */
export function metricValues(
  state: Pick<MetricState, 'sink'>,
  trendStats: readonly string[],
  durationMs: number,
): Record<string, number> {
  const sink = state.sink;
  switch (sink.type) {
    case 'counter':
      return { count: sink.count, rate: durationMs > 0 ? sink.count / (durationMs / 1000) : 0 };
    case 'gauge':
      return { value: sink.value, min: sink.min, max: sink.max };
    case 'rate':
      return { rate: sink.rate, passes: sink.passes, fails: sink.fails };
    case 'trend': {
      const values: Record<string, number> = {};
      for (const stat of trendStats) {
        if (stat === 'avg') values[stat] = sink.avg;
        else if (stat === 'min') values[stat] = sink.min;
        else if (stat === 'max') values[stat] = sink.max;
        else if (stat === 'med') values[stat] = sink.med;
        else if (stat === 'count') values[stat] = sink.count;
        else values[stat] = sink.percentile(Number(TREND_STAT_RE.exec(stat)?.[1] ?? 0));
      }
      return values;
    }
  }
}

/** Builds root_group from the entered groups and the check tallies; ids are md5 of the path, as in k6. */
export function buildRootGroup(registry: MetricsRegistry): K6SummaryGroup {
  const root: K6SummaryGroup = { name: '', path: '', id: md5(''), groups: [], checks: [] };
  const byPath = new Map<string, K6SummaryGroup>([['', root]]);
  for (const path of registry.groups()) {
    const cut = path.lastIndexOf('::');
    const parent = byPath.get(path.slice(0, Math.max(cut, 0))) ?? root;
    const group: K6SummaryGroup = { name: path.slice(cut + 2), path, id: md5(path), groups: [], checks: [] };
    parent.groups.push(group);
    byPath.set(path, group);
  }
  for (const tally of registry.checks()) {
    const path = `${tally.group}::${tally.name}`;
    const check: K6SummaryCheck = { name: tally.name, path, id: md5(path), passes: tally.passes, fails: tally.fails };
    (byPath.get(tally.group) ?? root).checks.push(check);
  }
  return root;
}

/** Exactly k6's handleSummary(data) object: root_group, options, state and every observed metric with its thresholds. */
export function buildSummaryData(input: SummaryInput): K6SummaryData {
  const stats = input.summaryTrendStats.length > 0 ? input.summaryTrendStats : DEFAULT_TREND_STATS;
  validateTrendStats(stats);
  const metrics: K6SummaryData['metrics'] = {};
  for (const state of input.registry.observed()) {
    metrics[state.name] = {
      type: state.def.type,
      contains: state.def.contains,
      values: metricValues(state, stats, input.testRunDurationMs),
    };
  }
  input.specs.forEach((spec, i) => {
    const name = input.registry.state(spec.metric)?.name ?? spec.metric;
    const metric = metrics[name];
    const result = input.thresholds[i];
    if (metric === undefined || result === undefined) return;
    metric.thresholds ??= {};
    metric.thresholds[spec.source] = { ok: result.ok };
  });
  const setup =
    input.setupJson === undefined || input.setupJson === null ? {} : { setup_data: goJson(input.setupJson) };
  return {
    ...setup,
    root_group: buildRootGroup(input.registry),
    options: { summaryTrendStats: [...stats], summaryTimeUnit: input.summaryTimeUnit ?? '', noColor: input.noColor },
    state: {
      isStdOutTTY: input.isStdOutTTY,
      isStdErrTTY: input.isStdErrTTY,
      testRunDurationMs: input.testRunDurationMs,
    },
    metrics,
  };
}

/** A JSON value as k6 (Go) hands it back after decoding it: objects' keys in sorted order, arrays as they are. */
function goJson(json: string): unknown {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  };
  return sortKeys(JSON.parse(json));
}
