import type { MetricDef, MetricsRegistry, Sample } from '../metrics/index.ts';
import type { ThresholdSpec } from '../thresholds/index.ts';

/** Streams metrics like `k6 --out json`: one Metric line the first time a metric gets a sample, then a Point line per sample. */
export interface JsonOutput {
  /** Declares a metric so its Metric line can be written before its first Point (not needed when a registry is given). */
  metric(def: MetricDef): void;
  samples(samples: readonly Sample[]): void;
}

/** Options of the NDJSON writer. */
export interface JsonOutputOptions {
  /** Thresholds listed on their metric's Metric line, as k6 does. */
  thresholds?: readonly ThresholdSpec[];
  /** Where to look up metrics declared after the output was created (custom metrics), and their sub-metrics. */
  registry?: MetricsRegistry;
}

// k6 writes a threshold as its source, or as an object when abortOnFail is set.
function thresholdJson(spec: ThresholdSpec): unknown {
  if (!spec.abortOnFail) return spec.source;
  return {
    threshold: spec.source,
    abortOnFail: true,
    delayAbortEval: spec.delayAbortEvalMs > 0 ? `${spec.delayAbortEvalMs}ms` : null,
  };
}

/** NDJSON writer in k6's --out json format; `write` receives one line without its newline. */
export function createJsonOutput(write: (line: string) => void, opts: JsonOutputOptions = {}): JsonOutput {
  const defs = new Map<string, MetricDef>();
  const announced = new Set<string>();
  const announce = (name: string): void => {
    announced.add(name);
    const def = defs.get(name) ?? opts.registry?.get(name);
    if (def === undefined) return;
    const thresholds = (opts.thresholds ?? []).filter((t) => t.metric === name).map(thresholdJson);
    const subs = opts.registry?.submetricsOf(name) ?? [];
    const submetrics =
      subs.length === 0
        ? null
        : subs.map((sub) => ({
            name: sub.name,
            suffix: sub.name.slice(name.length + 1, -1),
            tags: Object.fromEntries(sub.selector ?? []),
          }));
    write(
      JSON.stringify({
        type: 'Metric',
        data: { name, type: def.type, contains: def.contains, thresholds, submetrics },
        metric: name,
      }),
    );
  };
  return {
    metric(def) {
      defs.set(def.name, def);
    },
    samples(samples) {
      for (const sample of samples) {
        if (!announced.has(sample.metric)) announce(sample.metric);
        write(
          JSON.stringify({
            metric: sample.metric,
            type: 'Point',
            data: { time: new Date(sample.time).toISOString(), value: sample.value, tags: sample.tags },
          }),
        );
      }
    },
  };
}
