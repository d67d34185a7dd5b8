/** Where a run's samples and metric definitions go: the registry, the per-second series, the NDJSON file. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  createJsonOutput,
  MetricsRegistry,
  PerSecondAggregator,
  type JsonOutput,
  type MetricDef,
  type PerSecondPoint,
  type Sample,
  type ThresholdSpec,
} from '../k6-core/index.ts';
import type { Log } from './log.ts';

/** Takes every sample the VUs send; a sample the registry rejects is logged, never fatal. */
export class SampleSink {
  /** Every metric's aggregate: thresholds and the summary read it (with a per-scenario/group breakdown for full mode). */
  readonly registry: MetricsRegistry;
  private readonly perSecond = new PerSecondAggregator();
  private json: JsonOutput | null = null;
  private stream: WriteStream | null = null;

  constructor(
    private readonly log: Log,
    opts: { breakdown?: boolean } = {},
  ) {
    this.registry = new MetricsRegistry({ breakdown: opts.breakdown === true });
  }

  add(samples: Sample[]): void {
    try {
      this.registry.add(samples);
    } catch (err) {
      this.log('error', (err as Error).message);
    }
    this.perSecond.add(samples);
    this.json?.samples(samples);
  }

  define(def: MetricDef): void {
    try {
      this.registry.define(def);
      this.json?.metric(def);
    } catch (err) {
      this.log('error', err instanceof Error ? err.message : String(err));
    }
  }

  /** Starts the NDJSON file (k6's --out json); metrics defined so far are declared in it. */
  async openJson(path: string, specs: readonly ThresholdSpec[]): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(path);
    this.stream = stream;
    this.json = createJsonOutput((line) => void stream.write(line + '\n'), { thresholds: specs });
    for (const def of this.registry.definitions()) this.json.metric(def);
  }

  /** The per-second series so far. */
  series(): PerSecondPoint[] {
    return this.perSecond.series();
  }

  /** Flushes and closes the NDJSON file, if there is one. */
  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    this.json = null;
    if (stream) await new Promise((r) => stream.end(r));
  }
}
