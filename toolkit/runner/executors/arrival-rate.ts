/**
 * constant- and ramping-arrival-rate: an open model. Iterations start on their
 * schedule whatever the response times; with no idle VU an iteration is
 * dropped (dropped_iterations) and, below maxVUs, one more VU starts in the background.
 */
import { arrivalOffset, arrivalSegments } from '../../k6-core/index.ts';
import type { VuHandle } from '../vu-pool.ts';
import { bounded, sleepMs, type ScenarioRuntime } from './common.ts';

export async function runArrivalRate(rt: ScenarioRuntime): Promise<void> {
  const p = rt.plan;
  const segs = arrivalSegments(p);
  const totalMs = segs.reduce((a, s) => a + s.duration, 0);
  const start = Date.now();
  const hardEnd = start + totalMs + p.gracefulStopMs;
  const idle: VuHandle[] = [...rt.vus];
  const inFlight = new Set<Promise<void>>();
  let allocated = rt.vus.length;
  let starting = 0;
  let warned = false;
  const grow = (): void => {
    if (allocated + starting >= p.maxVUs) {
      // k6 says so once per scenario, at the first drop it cannot answer with one more VU.
      if (!warned) rt.warn(`Insufficient VUs, reached ${allocated + starting} active VUs and cannot initialize more`);
      warned = true;
      return;
    }
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
    const offset = arrivalOffset(p, segs, n);
    if (offset === null || offset > totalMs) break;
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
