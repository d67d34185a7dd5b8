/**
 * Reads k6 `--out json` NDJSON files (from one k6 or several k6-operator
 * instances) into one metrics registry and per-second series.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ToolkitError } from '../errors.ts';
import {
  MetricsRegistry,
  PerSecondAggregator,
  type MetricDef,
  type MetricType,
  type Sample,
  type ValueType,
} from '../k6-core/index.ts';

/** What replaying NDJSON files gives. */
export interface ReplayedSamples {
  registry: MetricsRegistry;
  perSecond: PerSecondAggregator;
  /** Threshold sources per metric, as the Metric lines list them. */
  thresholds: Record<string, string[]>;
  firstTime: number;
  lastTime: number;
}

interface MetricLine {
  type: 'Metric';
  data: { name: string; type: MetricType; contains: ValueType; thresholds?: string[] | null };
}

interface PointLine {
  type: 'Point';
  metric: string;
  data: { time: string; value: number; tags: Record<string, string> | null };
}

/** First pass: the Metric lines only (definitions and threshold sources), cheap because Point lines are not parsed. */
export async function scanMetricLines(
  files: string[],
): Promise<{ defs: MetricDef[]; thresholds: Record<string, string[]> }> {
  const defs = new Map<string, MetricDef>();
  const thresholds: Record<string, string[]> = {};
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.startsWith('{"type":"Metric"')) continue;
      const rec = JSON.parse(line) as MetricLine;
      defs.set(rec.data.name, { name: rec.data.name, type: rec.data.type, contains: rec.data.contains });
      if (rec.data.thresholds?.length)
        thresholds[rec.data.name] = [...new Set([...(thresholds[rec.data.name] ?? []), ...rec.data.thresholds])];
    }
  }
  return { defs: [...defs.values()], thresholds };
}

/** Prepares a registry; `declare` runs before any sample is added (thresholds register their sub-metrics there). */
export async function replayNdjson(
  files: string[],
  declare?: (registry: MetricsRegistry) => void,
): Promise<ReplayedSamples> {
  const registry = new MetricsRegistry();
  declare?.(registry);
  const out: ReplayedSamples = {
    registry,
    perSecond: new PerSecondAggregator(),
    thresholds: {},
    firstTime: Infinity,
    lastTime: -Infinity,
  };
  for (const file of files) await replayFile(file, out);
  return out;
}

async function replayFile(file: string, out: ReplayedSamples): Promise<void> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let batch: Sample[] = [];
  let lineNo = 0;
  const push = (): void => {
    out.registry.add(batch);
    out.perSecond.add(batch);
    batch = [];
  };
  try {
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      const rec = JSON.parse(line) as MetricLine | PointLine;
      if (rec.type === 'Metric') {
        push();
        const def: MetricDef = { name: rec.data.name, type: rec.data.type, contains: rec.data.contains };
        if (!out.registry.get(def.name)) out.registry.define(def);
        if (rec.data.thresholds?.length)
          out.thresholds[def.name] = [...new Set([...(out.thresholds[def.name] ?? []), ...rec.data.thresholds])];
      } else if (rec.type === 'Point') {
        const time = Date.parse(rec.data.time);
        out.firstTime = Math.min(out.firstTime, time);
        out.lastTime = Math.max(out.lastTime, time);
        batch.push({ metric: rec.metric, value: rec.data.value, time, tags: rec.data.tags ?? {} });
        if (batch.length >= 5000) push();
      }
    }
    push();
  } catch (err) {
    if (err instanceof ToolkitError) throw err;
    throw new ToolkitError(
      'RESULTS_INVALID',
      `${file}:${lineNo}: not k6 --out json output (${(err as Error).message})`,
      {
        fix: 'pass the NDJSON file written by `k6 run --out json=FILE`',
        cause: err,
      },
    );
  }
}
