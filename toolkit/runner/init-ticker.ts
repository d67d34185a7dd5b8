/**
 * k6 samples vus and vus_max every second from the start of the VUs' initialisation, not only while the
 * scenarios run: a run stopped during the VUs' init code or setup() still has its `vus` (0) and `vus_max`
 * (the VUs initialised so far) in the summary. The scenarios' own ticker takes over when the test starts.
 */
import type { SampleSink } from './sample-sink.ts';
import type { VuSet } from './vu-set.ts';

/** Starts the 1 s vus / vus_max ticks of the time before the test; returns what stops them. */
export function startInitTicker(sink: SampleSink, tags: Record<string, string>, vus: VuSet): () => void {
  const timer = setInterval(() => {
    const time = Date.now();
    sink.add([
      { metric: 'vus', value: 0, time, tags: { ...tags } },
      { metric: 'vus_max', value: vus.list().length, time, tags: { ...tags } },
    ]);
  }, 1000);
  return () => clearInterval(timer);
}
