import { ToolkitError } from '../../errors.ts';
import { BUILTIN_METRICS, EXPECTED_RESPONSE_SUBMETRIC } from './builtins.ts';
import { SummaryBreakdown } from './breakdown.ts';
import { createSink, type AnySink } from './sinks.ts';
import { parseMetricName, tagsMatch } from './submetric.ts';
import type { MetricDef, Sample } from './types.ts';

/** A metric or sub-metric with its aggregated values. */
export interface MetricState {
  /** `http_req_duration` or `http_req_duration{name:slow}`. */
  readonly name: string;
  /** Type and contains (a sub-metric has its parent's). */
  readonly def: MetricDef;
  readonly sink: AnySink;
  /** Shown in summaries: got a sample, or carries a threshold (k6 marks those observed up front). */
  observed: boolean;
  /** Set on sub-metrics: the parent's name and the tag selectors. */
  readonly parent?: string;
  readonly selector?: ReadonlyArray<readonly [string, string]>;
}

interface Entry extends MetricState {
  subs: MetricState[];
}

/** Passes and fails of one check, keyed by its k6 path (`::group::name`). */
export interface CheckTally {
  /** Path of the group the check ran in ('' for the root). */
  group: string;
  name: string;
  passes: number;
  fails: number;
}

function sameTags(a: ReadonlyArray<readonly [string, string]>, b: ReadonlyArray<readonly [string, string]>): boolean {
  return a.length === b.length && a.every(([key, value]) => b.some(([k, v]) => k === key && v === value));
}

const NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;
const GROUP_SEPARATOR = '::';

/** Holds every metric's sink, routes samples to matching sub-metrics, and tallies checks and groups. */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Entry>();
  private readonly subs = new Map<string, MetricState>();
  private readonly checkTallies = new Map<string, CheckTally>();
  private readonly groupPaths = new Set<string>();

  /** Per-scenario/per-group aggregates for k6's full summary mode; only kept when asked for (it doubles trend memory). */
  readonly breakdown: SummaryBreakdown | undefined;

  constructor(opts: { builtins?: boolean; breakdown?: boolean } = {}) {
    this.breakdown = opts.breakdown === true ? new SummaryBreakdown() : undefined;
    if (opts.builtins ?? true) {
      for (const def of BUILTIN_METRICS) this.define(def);
      this.submetric(EXPECTED_RESPONSE_SUBMETRIC);
    }
  }

  /** Declares a metric; idempotent for the same type; k6's naming rule applies. */
  define(def: MetricDef): void {
    if (!NAME_RE.test(def.name)) {
      throw new ToolkitError(
        'SCRIPT_INVALID',
        `Invalid metric name: '${def.name}'. Metric names should start with a letter or an underscore and only include up to 128 ASCII letters, numbers, or underscores.`,
        {
          fix: 'rename the custom metric, e.g. new Trend("login_duration")',
        },
      );
    }
    const old = this.metrics.get(def.name);
    if (old === undefined) {
      this.metrics.set(def.name, {
        name: def.name,
        def: { ...def },
        sink: createSink(def.type),
        observed: false,
        subs: [],
      });
      return;
    }
    if (old.def.type !== def.type) {
      throw new ToolkitError(
        'SCRIPT_INVALID',
        `metric '${def.name}' already exists but with type ${old.def.type}, instead of ${def.type}`,
        {
          fix: `give the ${def.type} metric another name`,
        },
      );
    }
  }

  /** The declaration of a top-level metric. */
  get(name: string): MetricDef | undefined {
    return this.metrics.get(name)?.def;
  }

  /** Every declared top-level metric. */
  definitions(): MetricDef[] {
    return [...this.metrics.values()].map((entry) => entry.def);
  }

  /** A metric (`name`) or sub-metric (`name{tag:value}`) state, if it exists. */
  state(name: string): MetricState | undefined {
    if (!name.includes('{')) return this.metrics.get(name);
    const direct = this.subs.get(name);
    if (direct !== undefined) return direct;
    const parsed = parseMetricName(name);
    return this.metrics.get(parsed.parent)?.subs.find((sub) => sameTags(sub.selector ?? [], parsed.tags));
  }

  /** Every metric and sub-metric that summaries show, sorted by name. */
  observed(): MetricState[] {
    const all: MetricState[] = [];
    for (const entry of this.metrics.values()) {
      if (entry.observed) all.push(entry);
      for (const sub of entry.subs) if (sub.observed) all.push(sub);
    }
    return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The sub-metrics registered on a top-level metric, in creation order. */
  submetricsOf(name: string): MetricState[] {
    return [...(this.metrics.get(name)?.subs ?? [])];
  }

  /** Finds or creates a sub-metric; the parent must be defined. Samples added later are routed to it. */
  submetric(selector: string): MetricState {
    const parsed = parseMetricName(selector);
    const parent = this.metrics.get(parsed.parent);
    if (parent === undefined) {
      throw new ToolkitError(
        'SCRIPT_INVALID',
        `invalid metric '${selector}' in threshold definitions: metric '${parsed.parent}' does not exist in the script`,
        {
          fix: `define the metric in the init context (e.g. new Trend('${parsed.parent}')) or fix the name in options.thresholds`,
        },
      );
    }
    if (parsed.suffix === undefined) return parent;
    // Same tag set, however written, is the same sub-metric (as in k6).
    const existing = parent.subs.find((sub) => sameTags(sub.selector ?? [], parsed.tags));
    if (existing !== undefined) {
      this.subs.set(selector, existing);
      return existing;
    }
    const sub: MetricState = {
      name: parsed.name,
      def: parent.def,
      sink: createSink(parent.def.type),
      observed: false,
      parent: parent.name,
      selector: parsed.tags,
    };
    parent.subs.push(sub);
    this.subs.set(parsed.name, sub);
    return sub;
  }

  /** Marks a metric (and a sub-metric's parent) as shown in summaries even without samples. */
  markObserved(name: string): void {
    const state = this.state(name);
    if (state === undefined) return;
    state.observed = true;
    if (state.parent !== undefined) this.markObserved(state.parent);
  }

  /**
   * Hot path: feeds samples to their metric, matching sub-metrics, and the check/group tallies.
   * Samples of undefined metrics are skipped and reported by one Error after the batch (an engine bug).
   */
  add(samples: readonly Sample[]): void {
    let unknown: string | undefined;
    for (const sample of samples) {
      const entry = this.metrics.get(sample.metric);
      if (entry === undefined) {
        unknown ??= sample.metric;
        continue;
      }
      entry.sink.add(sample.value);
      entry.observed = true;
      const subs = entry.subs;
      for (let i = 0; i < subs.length; i++) {
        const sub = subs[i] as MetricState;
        if (sub.selector !== undefined && tagsMatch(sub.selector, sample.tags)) {
          sub.sink.add(sample.value);
          sub.observed = true;
        }
      }
      if (this.breakdown !== undefined) this.breakdown.add(sample, entry.def);
      if (sample.metric === 'checks') this.tallyCheck(sample);
      else if (sample.metric === 'group_duration') this.noteGroup(sample.tags['group'] ?? '');
    }
    if (unknown !== undefined)
      throw new Error(`samples for undefined metric '${unknown}' were dropped (define it before adding samples)`);
  }

  private tallyCheck(sample: Sample): void {
    const group = sample.tags['group'] ?? '';
    const name = sample.tags['check'] ?? '';
    const path = `${group}${GROUP_SEPARATOR}${name}`;
    let tally = this.checkTallies.get(path);
    if (tally === undefined) {
      this.noteGroup(group);
      tally = { group, name, passes: 0, fails: 0 };
      this.checkTallies.set(path, tally);
    }
    if (sample.value !== 0) tally.passes++;
    else tally.fails++;
  }

  /** Records a group (and its ancestors) as entered, so it appears in root_group even without checks. */
  noteGroup(path: string): void {
    if (path === '' || this.groupPaths.has(path)) return;
    const cut = path.lastIndexOf(GROUP_SEPARATOR);
    if (cut > 0) this.noteGroup(path.slice(0, cut));
    this.groupPaths.add(path);
  }

  /** Check tallies in first-seen order. */
  checks(): CheckTally[] {
    return [...this.checkTallies.values()];
  }

  /** Entered group paths (`::a`, `::a::b`) in first-seen order, parents before children. */
  groups(): string[] {
    return [...this.groupPaths];
  }
}
