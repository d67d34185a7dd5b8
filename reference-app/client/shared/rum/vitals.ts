import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import type { Metric } from 'web-vitals';
import type { RumName } from './rum.ts';

/** Reports LCP, FCP, CLS, INP and TTFB to `record` as web-vitals finalises each (loaded after the page, see startRum). */
export function observeWebVitals(record: (name: RumName, value: number) => void): void {
  const fromVital = (metric: Metric): void => record(metric.name as RumName, metric.value);
  onTTFB(fromVital);
  onFCP(fromVital);
  onLCP(fromVital);
  onCLS(fromVital);
  onINP(fromVital);
}
