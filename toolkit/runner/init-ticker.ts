/**
 * k6 samples vus and vus_max every second from the start of the VUs' initialisation, not only while the
 * scenarios run: a run stopped during the VUs' init code or setup() still has its `vus` (0) and `vus_max`
 * (the VUs initialised so far) in the summary. The scenarios' own ticker takes over when the test starts.
 * These ticks are kept only for a run that never reaches its test: the built-in runner starts its VU
 * workers slower than k6 starts goja VUs, and k6 would not have ticked in that time.
 */
import type { Sample } from '../k6-core/index.ts';
import type { SampleSink } from './sample-sink.ts';
import type { VuSet } from './vu-set.ts';

/** The 1 s vus / vus_max ticks of the time before the test. */
export interface InitTicks {
  /** The test starts: the ticks so far are dropped, no more come. */
  testStarts(): void;
  /** The run ends before its test: the ticks so far go to the sink. */
  keep(): void;
}

export function startInitTicker(sink: SampleSink, tags: Record<string, string>, vus: VuSet): InitTicks {
  let ticks: Sample[] = [];
  const timer = setInterval(() => {
    const time = Date.now();
    ticks.push(
      { metric: 'vus', value: 0, time, tags: { ...tags } },
      { metric: 'vus_max', value: vus.list().length, time, tags: { ...tags } },
    );
  }, 1000);
  return {
    testStarts: () => {
      clearInterval(timer);
      ticks = [];
    },
    keep: () => {
      clearInterval(timer);
      if (ticks.length > 0) sink.add(ticks);
      ticks = [];
    },
  };
}
