import type { MetricDef, Sample, ThresholdSpec } from './types.ts';

/** Streams metrics like `k6 --out json`: one Metric line the first time a metric gets a sample, then a Point line per sample. */
export interface JsonOutput {
  /** Declares a metric so its Metric line can be written before its first Point. */
  metric(def: MetricDef): void;
  samples(samples: readonly Sample[]): void;
}

/** NDJSON writer in k6's --out json format; `write` receives one line without its newline. */
export function createJsonOutput(write: (line: string) => void, opts: { thresholds?: readonly ThresholdSpec[] } = {}): JsonOutput {
  const defs = new Map<string, MetricDef>();
  const announced = new Set<string>();
  const announce = (name: string): void => {
    announced.add(name);
    const def = defs.get(name);
    if (def === undefined) return;
    const thresholds = (opts.thresholds ?? []).filter((t) => t.metric === name).map((t) => t.source);
    write(JSON.stringify({
      type: 'Metric',
      data: { name, type: def.type, contains: def.contains, thresholds, submetrics: null },
      metric: name,
    }));
  };
  return {
    metric(def) {
      defs.set(def.name, def);
    },
    samples(samples) {
      for (const sample of samples) {
        if (!announced.has(sample.metric)) announce(sample.metric);
        write(JSON.stringify({
          metric: sample.metric,
          type: 'Point',
          data: { time: new Date(sample.time).toISOString(), value: sample.value, tags: sample.tags },
        }));
      }
    },
  };
}
