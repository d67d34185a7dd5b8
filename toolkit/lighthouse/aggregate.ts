import type {
  LighthouseAggregation,
  LighthouseAuditResult,
  LighthouseMetrics,
  LighthouseRunSummary,
  LighthouseScores,
  LighthouseSpread,
} from './types.ts';

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs that may be reported: Lighthouse finished without a runtime error and produced a performance score. */
export function isValidRun(run: LighthouseRunSummary): boolean {
  return run.runtimeError === null && run.scores.performance !== null;
}

const perf = (run: LighthouseRunSummary): number => run.scores.performance ?? 0;
const lcp = (run: LighthouseRunSummary): number => run.metrics.lcp ?? Number.POSITIVE_INFINITY;

/**
 * Lighthouse CI's median run: the run closest (Euclidean distance in ms) to
 * both the median FCP and the median TTI, ties to the lower TTI. FCP and TTI
 * bracket the page's load, so this avoids a run that is median in one number
 * but an outlier in the rest. When a run lacks FCP or TTI, falls back to the
 * run with the median performance score (the lower one for an even count).
 */
function medianRunIndex(runs: LighthouseRunSummary[], candidates: number[]): number {
  const measured = candidates.every((i) => runs[i]?.metrics.fcp !== null && runs[i]?.metrics.tti !== null);
  if (!measured) {
    const byScore = [...candidates].sort(
      (a, b) => perf(runs[a] as LighthouseRunSummary) - perf(runs[b] as LighthouseRunSummary) || a - b,
    );
    return byScore[Math.floor((byScore.length - 1) / 2)] as number;
  }
  const fcp = (i: number): number => runs[i]?.metrics.fcp as number;
  const tti = (i: number): number => runs[i]?.metrics.tti as number;
  const medianFcp = median(candidates.map(fcp));
  const medianTti = median(candidates.map(tti));
  const distance = (i: number): number => (fcp(i) - medianFcp) ** 2 + (tti(i) - medianTti) ** 2;
  const sorted = [...candidates].sort((a, b) => distance(a) - distance(b) || tti(a) - tti(b) || a - b);
  return sorted[0] as number;
}

/**
 * Chooses the run to report. `median`: see medianRunIndex. `optimistic`: the
 * best performance score (ties to the lower LCP). `pessimistic`: the worst
 * performance score (ties to the higher LCP). Runs with a runtime error are
 * never chosen; returns -1 when no run is valid. Per-figure best/worst values
 * regardless of run are in the spread (min/max).
 */
export function selectRepresentativeRun(runs: LighthouseRunSummary[], aggregation: LighthouseAggregation): number {
  const candidates = runs.map((run, i) => (isValidRun(run) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return -1;
  const at = (i: number): LighthouseRunSummary => runs[i] as LighthouseRunSummary;
  if (aggregation === 'median') return medianRunIndex(runs, candidates);
  const sign = aggregation === 'optimistic' ? 1 : -1;
  const sorted = [...candidates].sort(
    (a, b) => sign * (perf(at(b)) - perf(at(a))) || sign * (lcp(at(a)) - lcp(at(b))) || a - b,
  );
  return sorted[0] as number;
}

/** The p-quantile (0..1) of sorted values, interpolated between closest ranks. */
function quantileOf(sorted: number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (b - a) * (rank - lo);
}

function spreadOf(values: Array<number | null>): LighthouseSpread | undefined {
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (present.length === 0) return undefined;
  return {
    min: present[0] as number,
    q1: quantileOf(present, 0.25),
    median: median(present),
    q3: quantileOf(present, 0.75),
    max: present[present.length - 1] as number,
  };
}

/** Min / median / max of every score and metric over the valid runs. */
export function computeSpread(runs: LighthouseRunSummary[]): LighthouseAuditResult['spread'] {
  const valid = runs.filter(isValidRun);
  const scores: LighthouseAuditResult['spread']['scores'] = {};
  for (const key of ['performance', 'accessibility', 'bestPractices', 'seo'] as Array<keyof LighthouseScores>) {
    const spread = spreadOf(valid.map((run) => run.scores[key]));
    if (spread) scores[key] = spread;
  }
  const metrics: LighthouseAuditResult['spread']['metrics'] = {};
  for (const key of ['fcp', 'lcp', 'tbt', 'cls', 'si', 'tti', 'ttfb', 'maxPotentialFid', 'totalByteWeight'] as Array<
    keyof LighthouseMetrics
  >) {
    const spread = spreadOf(valid.map((run) => run.metrics[key]));
    if (spread) metrics[key] = spread;
  }
  return { scores, metrics };
}
