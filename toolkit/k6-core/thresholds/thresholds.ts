import { ToolkitError } from '../../errors.ts';
import type { AnySink, MetricsRegistry } from '../metrics/index.ts';
import { compare, parseThresholdExpression, SUPPORTED_AGGREGATIONS, type ThresholdExpression } from './expression.ts';
import type { ThresholdResult, ThresholdSpec } from './types.ts';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** k6 durations: '1m30s', '500ms', '2d'; a bare number in a string is seconds, a JSON number is milliseconds. */
export function parseDurationMs(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g)];
    if (parts.length > 0 && parts.map((p) => p[0]).join('') === text) {
      return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? 's'] ?? 0), 0);
    }
  }
  throw new ToolkitError('SCRIPT_INVALID', `${where}: invalid duration ${JSON.stringify(value)}`, {
    fix: "write durations like '10s', '500ms' or '1m30s'",
  });
}

const invalid = (message: string, fix: string): ToolkitError => new ToolkitError('SCRIPT_INVALID', message, { fix });

function readEntry(metric: string, entry: unknown, index: number): ThresholdSpec {
  const where = `options.thresholds['${metric}'][${index}]`;
  if (typeof entry === 'string') return { metric, source: entry, abortOnFail: false, delayAbortEvalMs: 0 };
  if (entry === null || typeof entry !== 'object' || typeof (entry as { threshold?: unknown }).threshold !== 'string') {
    throw invalid(
      `${where}: expected a string like 'p(95)<300' or { threshold: 'p(95)<300', abortOnFail: true }, got ${JSON.stringify(entry)}`,
      "use a threshold string such as 'p(95)<300' or an object with a 'threshold' string",
    );
  }
  const obj = entry as { threshold: string; abortOnFail?: unknown; delayAbortEval?: unknown };
  const delay =
    obj.delayAbortEval === undefined || obj.delayAbortEval === null
      ? 0
      : parseDurationMs(obj.delayAbortEval, `${where}.delayAbortEval`);
  return { metric, source: obj.threshold, abortOnFail: obj.abortOnFail === true, delayAbortEvalMs: delay };
}

function checkSyntax(spec: ThresholdSpec): ThresholdExpression {
  const parsed = parseThresholdExpression(spec.source);
  if (typeof parsed === 'string') {
    // k6's own words (they quote the expression); the fix names the metric it is on.
    throw invalid(
      parsed,
      `in options.thresholds['${spec.metric}'], write thresholds as 'aggregation operator number', e.g. 'p(95)<300', 'rate<0.01', 'count>=100' (a percentile between 0 and 100)`,
    );
  }
  return parsed;
}

function checkAggregation(spec: ThresholdSpec, registry: MetricsRegistry): void {
  const parsed = checkSyntax(spec);
  const def = registry.state(spec.metric)?.def;
  if (def === undefined) return;
  const supported = SUPPORTED_AGGREGATIONS[def.type];
  if (!supported.includes(parsed.aggregation)) {
    throw invalid(
      `invalid threshold "${spec.source}" applied on metric ${spec.metric}: unsupported aggregation method ${parsed.aggregation} on metric of type ${def.type}. supported aggregation methods for this metric are: ${supported.join(', ')}`,
      `use one of ${supported.map((a) => (a === 'p' ? 'p(N)' : a)).join(', ')} for a ${def.type} metric`,
    );
  }
}

/**
 * Validates options.thresholds (after the init context defined custom metrics), registers
 * the sub-metrics they name so add() routes samples to them, and marks their metrics observed.
 */
export function parseThresholds(thresholds: unknown, registry: MetricsRegistry): ThresholdSpec[] {
  if (thresholds === undefined || thresholds === null) return [];
  if (typeof thresholds !== 'object' || Array.isArray(thresholds)) {
    throw invalid(
      `options.thresholds: expected an object of metric name to threshold list, got ${JSON.stringify(thresholds)}`,
      "write options.thresholds as { http_req_duration: ['p(95)<300'] }",
    );
  }
  const specs: ThresholdSpec[] = [];
  for (const [metric, list] of Object.entries(thresholds as Record<string, unknown>)) {
    if (!Array.isArray(list)) {
      throw invalid(
        `options.thresholds['${metric}']: expected an array of thresholds, got ${JSON.stringify(list)}`,
        `wrap it in an array: { '${metric}': ['p(95)<300'] }`,
      );
    }
    const own = list.map((entry, index) => readEntry(metric, entry, index));
    for (const spec of own) checkSyntax(spec);
    registry.submetric(metric);
    for (const spec of own) checkAggregation(spec, registry);
    registry.markObserved(metric);
    specs.push(...own);
  }
  return specs;
}

/** The number a threshold's aggregation reads from a sink; undefined when k6 has no value (an empty rate). */
export function aggregate(sink: AnySink, expr: ThresholdExpression, elapsedMs: number): number | undefined {
  switch (sink.type) {
    case 'counter':
      return expr.aggregation === 'count' ? sink.count : sink.count / (elapsedMs / 1000);
    case 'gauge':
      return sink.value;
    case 'rate':
      return sink.total === 0 ? undefined : sink.passes / sink.total;
    case 'trend':
      if (expr.aggregation === 'p') return sink.percentile(expr.percentile ?? 0);
      if (expr.aggregation === 'avg') return sink.avg;
      if (expr.aggregation === 'min') return sink.min;
      if (expr.aggregation === 'max') return sink.max;
      return sink.med;
  }
}

/**
 * Evaluates every threshold. During the run (final: false) metrics without samples are
 * skipped (reported ok), as k6 does; at the end they are evaluated on their zero values.
 */
export function evaluateThresholds(
  registry: MetricsRegistry,
  specs: readonly ThresholdSpec[],
  opts: { elapsedMs: number; final: boolean },
): ThresholdResult[] {
  return specs.map((spec) => {
    const result = { metric: spec.metric, source: spec.source, abortOnFail: spec.abortOnFail };
    const sink = registry.state(spec.metric)?.sink;
    const expr = parseThresholdExpression(spec.source);
    if (sink === undefined || typeof expr === 'string') return { ...result, ok: false };
    if (!opts.final && sink.isEmpty()) return { ...result, ok: true };
    const lhs = aggregate(sink, expr, opts.elapsedMs);
    // No value (a rate without samples): k6 logs "Threshold error" and leaves the threshold uncrossed.
    return { ...result, ok: lhs === undefined || compare(lhs, expr.operator, expr.value) };
  });
}

/** The first failed abortOnFail threshold whose delayAbortEval has passed, if any: the run must stop (exit 99). */
export function shouldAbort(
  results: readonly ThresholdResult[],
  specs: readonly ThresholdSpec[],
  elapsedMs: number,
): ThresholdResult | undefined {
  return results.find((result, i) => {
    const spec = specs[i];
    if (result.ok || !result.abortOnFail || spec === undefined) return false;
    return spec.delayAbortEvalMs === 0 || spec.delayAbortEvalMs < elapsedMs;
  });
}

/** k6's message when a threshold aborts the run. */
export function abortMessage(results: readonly ThresholdResult[]): string {
  const breached = [...new Set(results.filter((r) => !r.ok).map((r) => r.metric))].sort();
  return `thresholds on metrics '${breached.join(', ')}' were breached; at least one has abortOnFail enabled, stopping test prematurely`;
}
