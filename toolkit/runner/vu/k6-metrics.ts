/** The `k6/metrics` module: custom Counter, Gauge, Rate and Trend. */
import type { MetricType } from '../../k6-core/metrics/types.ts';
import { baseTags, defineMetric, emit } from './state.ts';

const NAME_RE = /^[\p{L}\p{N}._ !?/&#()<>%-]{1,128}$/u;

class Metric {
  readonly name: string;
  readonly type: MetricType;

  constructor(name: string, type: MetricType, isTime: boolean) {
    if (typeof name !== 'string' || !NAME_RE.test(name)) throw new Error(`invalid metric name "${String(name)}"`);
    this.name = name;
    this.type = type;
    defineMetric({ name, type, contains: isTime ? 'time' : 'default' });
  }

  add(value: number | boolean, tags?: Record<string, string>): boolean {
    const v = this.type === 'rate' ? (value ? 1 : 0) : Number(value);
    if (Number.isNaN(v)) throw new Error(`metric "${this.name}" got a value that is not a number: ${String(value)}`);
    emit(this.name, v, tags ? { ...baseTags(), ...mapTags(tags) } : baseTags());
    return true;
  }
}

function mapTags(tags: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
}

export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter', false);
  }
}

export class Gauge extends Metric {
  constructor(name: string, isTime = false) {
    super(name, 'gauge', isTime);
  }
}

export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate', false);
  }
}

export class Trend extends Metric {
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime);
  }
}

export default { Counter, Gauge, Rate, Trend };
