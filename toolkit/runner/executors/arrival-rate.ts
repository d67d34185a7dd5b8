/**
 * constant- and ramping-arrival-rate: an open model. Iterations start on their
 * schedule whatever the response times; with no idle VU an iteration is
 * dropped (dropped_iterations) and, below maxVUs, one more VU starts in the background.
 */
import type { ScenarioPlan } from '../options.ts';
import type { VuHandle } from '../vu-pool.ts';
import { bounded, sleepMs, type ScenarioRuntime } from './common.ts';

interface Segment {
  start: number;
  duration: number;
  /** Iterations per ms at the segment's start and end. */
  r0: number;
  r1: number;
  /** Iterations scheduled before the segment. */
  before: number;
}

function segments(p: ScenarioPlan): Segment[] {
  const perMs = (rate: number): number => rate / p.timeUnitMs;
  if (p.executor === 'constant-arrival-rate')
    return [{ start: 0, duration: p.durationMs, r0: perMs(p.rate), r1: perMs(p.rate), before: 0 }];
  const out: Segment[] = [];
  let t = 0;
  let from = perMs(p.startRate);
  let before = 0;
  for (const st of p.stages) {
    const to = perMs(st.target);
    out.push({ start: t, duration: st.durationMs, r0: from, r1: to, before });
    before += ((from + to) / 2) * st.durationMs;
    t += st.durationMs;
    from = to;
  }
  return out;
}

/** Offset (ms) of the n-th iteration (0-based), or null when the schedule ends first. */
export function iterationOffset(segs: Segment[], n: number): number | null {
  for (const s of segs) {
    const inSeg = n - s.before;
    const total = ((s.r0 + s.r1) / 2) * s.duration;
    if (inSeg >= total - 1e-9) continue;
    const a = (s.r1 - s.r0) / (2 * s.duration);
    if (Math.abs(a) < 1e-15) return s.start + inSeg / s.r0;
    // Solve a·t² + r0·t = inSeg for the first t ≥ 0.
    const t = (-s.r0 + Math.sqrt(s.r0 * s.r0 + 4 * a * inSeg)) / (2 * a);
    return s.start + t;
  }
  return null;
}

export async function runArrivalRate(rt: ScenarioRuntime): Promise<void> {
  const p = rt.plan;
  const segs = segments(p);
  const totalMs = segs.reduce((a, s) => a + s.duration, 0);
  const start = Date.now();
  const hardEnd = start + totalMs + p.gracefulStopMs;
  const idle: VuHandle[] = [...rt.vus];
  const inFlight = new Set<Promise<void>>();
  let allocated = rt.vus.length;
  let starting = 0;
  const grow = (): void => {
    if (allocated + starting >= p.maxVUs) return;
    starting++;
    void rt.addVu().then(
      (vu) => {
        starting--;
        allocated++;
        idle.push(vu);
      },
      () => starting--,
    );
  };
  const launch = (vu: VuHandle): void => {
    const job = bounded(vu, vu.run({ t: 'once', run: rt.run }), hardEnd, rt.signal, rt).finally(() => {
      inFlight.delete(job);
      if (!vu.exited) idle.push(vu);
    });
    inFlight.add(job);
  };
  for (let n = 0; !rt.signal.aborted; n++) {
    const offset = iterationOffset(segs, n);
    if (offset === null || offset >= totalMs) break;
    const wait = start + offset - Date.now();
    if (wait >= 1) await sleepMs(wait, rt.signal);
    if (rt.signal.aborted) break;
    const vu = idle.pop();
    if (vu) launch(vu);
    else {
      rt.onDropped(1);
      grow();
    }
  }
  await sleepMs(start + totalMs - Date.now(), rt.signal);
  await Promise.all([...inFlight]);
}
