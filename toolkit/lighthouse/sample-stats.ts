import type { PageTimings, RenderSource } from './page-timings.ts';

/** One reload of the page under load: the page's timings (ms from navigation start; null when not measured) plus what was loaded. */
export interface BrowserLoadSample extends PageTimings {
  seq: number;
  /** Epoch ms when the navigation started. */
  startedAt: number;
  url: string;
  finalUrl: string;
  status: number | null;
  /** Navigation error (timeout, connection refused…), null on success. */
  error: string | null;
}

/** Distribution of one timing over the samples (nearest-rank percentiles). */
export interface SampleStats {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

/** What a browser-under-load session measured. */
export interface BrowserUnderLoadSummary {
  samples: BrowserLoadSample[];
  count: number;
  errors: number;
  loadTime: SampleStats | null;
  renderTime: SampleStats | null;
  /** How many samples took renderTime from each source. */
  renderSources: Partial<Record<RenderSource, number>>;
}

function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Nearest-rank statistics of a list of values, null when empty. */
export function statsOf(values: number[]): SampleStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] as number,
    mean: sum / sorted.length,
  };
}

export function summarizeSamples(samples: BrowserLoadSample[]): BrowserUnderLoadSummary {
  const renderSources: Partial<Record<RenderSource, number>> = {};
  for (const s of samples) if (s.renderSource) renderSources[s.renderSource] = (renderSources[s.renderSource] ?? 0) + 1;
  return {
    samples: [...samples],
    count: samples.length,
    errors: samples.filter((s) => s.error !== null).length,
    loadTime: statsOf(samples.flatMap((s) => (s.loadTime === null ? [] : [s.loadTime]))),
    renderTime: statsOf(samples.flatMap((s) => (s.renderTime === null ? [] : [s.renderTime]))),
    renderSources,
  };
}
