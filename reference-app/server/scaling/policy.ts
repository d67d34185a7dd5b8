/**
 * The auto-scaling decision, as a pure function of readings: no timers, no
 * processes. The supervisor feeds it one aggregated reading per tick.
 */

/** Limits and thresholds; every `down` threshold sits below its `up` one (hysteresis). */
export interface ScalingPolicy {
  min: number;
  max: number;
  up: { cpuPercent: number; lagMs: number; p95Ms: number; readings: number };
  down: { cpuPercent: number; lagMs: number; p95Ms: number; readings: number };
  cooldownMs: number;
}

/** One instance's figures for the last sample interval. */
export interface InstanceLoad {
  /** percent of one core */
  cpuPercent: number;
  /** mean event-loop delay */
  lagMs: number;
  /** API latency p95 over the last seconds; null without requests */
  p95Ms: number | null;
}

/** All live instances' figures at one moment. */
export interface LoadReading {
  at: number;
  /** mean over the instances */
  cpuPercent: number;
  /** worst instance */
  lagMs: number;
  /** worst instance; null when no instance served a request */
  p95Ms: number | null;
}

/** What the policy remembers between readings. */
export interface PolicyState {
  /** consecutive readings over an up threshold */
  high: number;
  /** consecutive readings under every down threshold */
  low: number;
  lastChangeAt: number | undefined;
}

/** One scale decision, as logged and exposed in /api/performance. */
export interface ScaleDecision {
  at: string;
  action: 'up' | 'down';
  reason: string;
  from: number;
  to: number;
}

export const initialPolicyState = (): PolicyState => ({ high: 0, low: 0, lastChangeAt: undefined });

/** Merges the instances' figures: mean CPU (the load spreads), worst lag and p95 (users feel the worst). */
export function aggregate(at: number, loads: InstanceLoad[]): LoadReading {
  const p95s = loads.flatMap((l) => (l.p95Ms === null ? [] : [l.p95Ms]));
  return {
    at,
    cpuPercent: loads.length ? loads.reduce((s, l) => s + l.cpuPercent, 0) / loads.length : 0,
    lagMs: Math.max(0, ...loads.map((l) => l.lagMs)),
    p95Ms: p95s.length ? Math.max(...p95s) : null,
  };
}

const fmt = (v: number): string => String(Math.round(v * 10) / 10);

/** The up thresholds this reading breaks, as text (empty: none). */
function overUp(p: ScalingPolicy, r: LoadReading): string[] {
  const out: string[] = [];
  if (r.cpuPercent > p.up.cpuPercent) out.push(`cpu ${fmt(r.cpuPercent)}% > ${p.up.cpuPercent}%`);
  if (r.lagMs > p.up.lagMs) out.push(`event-loop lag ${fmt(r.lagMs)} ms > ${p.up.lagMs} ms`);
  if (r.p95Ms !== null && r.p95Ms > p.up.p95Ms) out.push(`p95 ${fmt(r.p95Ms)} ms > ${p.up.p95Ms} ms`);
  return out;
}

/**
 * Low enough to lose an instance: the CPU the remaining ones would carry
 * (mean × n / (n − 1)) stays under the down threshold, so removing one does
 * not push the rest straight back over the up threshold.
 */
function underDown(p: ScalingPolicy, r: LoadReading, current: number): { ok: boolean; projectedCpu: number } {
  const projectedCpu = current > 1 ? (r.cpuPercent * current) / (current - 1) : r.cpuPercent;
  const ok = projectedCpu < p.down.cpuPercent && r.lagMs < p.down.lagMs && (r.p95Ms === null || r.p95Ms < p.down.p95Ms);
  return { ok, projectedCpu };
}

/** Feeds one reading to the policy: the next state and, when the window is full, a decision. */
export function decide(
  p: ScalingPolicy,
  state: PolicyState,
  r: LoadReading,
  current: number,
): { state: PolicyState; decision?: ScaleDecision } {
  const at = new Date(r.at).toISOString();
  const change = (
    action: 'up' | 'down',
    reason: string,
    to: number,
  ): { state: PolicyState; decision: ScaleDecision } => ({
    state: { high: 0, low: 0, lastChangeAt: r.at },
    decision: { at, action, reason, from: current, to },
  });
  if (current < p.min) return change('up', `below the minimum of ${p.min}`, p.min);
  if (current > p.max) return change('down', `above the maximum of ${p.max}`, p.max);
  // During the cool-down readings are not counted: the new instance must first take its share.
  if (state.lastChangeAt !== undefined && r.at - state.lastChangeAt < p.cooldownMs)
    return { state: { ...state, high: 0, low: 0 } };
  const over = overUp(p, r);
  const under = underDown(p, r, current);
  const next: PolicyState = { ...state, high: over.length ? state.high + 1 : 0, low: under.ok ? state.low + 1 : 0 };
  if (next.high >= p.up.readings && current < p.max) {
    return change('up', `${over.join(', ')} for ${next.high} readings`, current + 1);
  }
  if (next.low >= p.down.readings && current > p.min) {
    const cpu = `cpu ${fmt(r.cpuPercent)}% (${fmt(under.projectedCpu)}% on ${current - 1})`;
    return change('down', `${cpu} < ${p.down.cpuPercent}%, lag and p95 low for ${next.low} readings`, current - 1);
  }
  return { state: next };
}
