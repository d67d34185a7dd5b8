import { createSink, type AnySink } from './sinks.ts';
import type { MetricDef, Sample } from './types.ts';

/** Samples of one scenario or group, aggregated apart from the totals (k6's full summary mode). */
export interface BreakdownNode {
  metrics: Map<string, { def: MetricDef; sink: AnySink }>;
  /** Checks by name, in first-seen order. */
  checks: Map<string, { passes: number; fails: number }>;
  groups: Map<string, BreakdownNode>;
}

const newNode = (): BreakdownNode => ({ metrics: new Map(), checks: new Map(), groups: new Map() });

/**
 * Per-scenario and per-group aggregates for `--summary-mode=full`, filled the way k6's summary
 * output does: a sample of a non-default scenario counts in that scenario, and a sample with a
 * group tag counts in that group, nested under the scenario when there is one.
 */
export class SummaryBreakdown {
  /** Top-level groups hang off this node (samples of the default scenario). */
  readonly root: BreakdownNode = newNode();
  readonly scenarios = new Map<string, BreakdownNode>();

  add(sample: Sample, def: MetricDef): void {
    let node = this.root;
    const scenario = sample.tags['scenario'];
    if (scenario !== undefined && scenario !== 'default') {
      node = this.child(this.scenarios, scenario);
      addTo(node, sample, def);
    }
    const group = sample.tags['group'];
    if (group === undefined || group === '') return;
    for (const name of group.replace(/^::/, '').split('::')) node = this.child(node.groups, name);
    addTo(node, sample, def);
  }

  private child(map: Map<string, BreakdownNode>, name: string): BreakdownNode {
    let node = map.get(name);
    if (node === undefined) {
      node = newNode();
      map.set(name, node);
    }
    return node;
  }
}

function addTo(node: BreakdownNode, sample: Sample, def: MetricDef): void {
  let metric = node.metrics.get(def.name);
  if (metric === undefined) {
    metric = { def, sink: createSink(def.type) };
    node.metrics.set(def.name, metric);
  }
  metric.sink.add(sample.value);
  const check = sample.tags['check'];
  if (def.name !== 'checks' || check === undefined) return;
  const tally = node.checks.get(check) ?? { passes: 0, fails: 0 };
  if (sample.value !== 0) tally.passes++;
  else tally.fails++;
  node.checks.set(check, tally);
}
