import type { LighthouseAuditResult, LighthouseRunSummary } from './types.ts';

const score = (value: number | null): string => (value === null ? '–' : value.toFixed(2));
const seconds = (ms: number | null): string => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

/** The progress line printed after each run, e.g. "lighthouse dashboard mobile cold run 2/3: perf 0.94, LCP 1.2 s". */
export function formatRunLine(run: LighthouseRunSummary, total: number): string {
  const head = `lighthouse ${run.page} ${run.preset} ${run.mode} run ${run.run}/${total}`;
  if (run.runtimeError !== null) return `${head}: failed (${run.runtimeError})`;
  return `${head}: perf ${score(run.scores.performance)}, LCP ${seconds(run.metrics.lcp)}`;
}

/** A plain-text table of the representative runs with the spread over runs, for people (stderr). */
export function formatAuditTable(audits: LighthouseAuditResult[]): string {
  const lines = [
    'page            preset   mode  runs  perf (min–max)      FCP      LCP      TBT     CLS    TTFB   bytes',
  ];
  for (const audit of audits) {
    const r = audit.representative;
    const perf = audit.spread.scores.performance;
    const range = perf ? `${score(perf.min)}–${score(perf.max)}` : '–';
    const m = r.metrics;
    lines.push(
      [
        audit.page.padEnd(15),
        audit.preset.padEnd(8),
        audit.mode.padEnd(5),
        String(audit.runs.length).padStart(4),
        `${score(r.scores.performance)} (${range})`.padEnd(19),
        seconds(m.fcp).padStart(7),
        seconds(m.lcp).padStart(8),
        (m.tbt === null ? '–' : `${Math.round(m.tbt)} ms`).padStart(8),
        (m.cls === null ? '–' : m.cls.toFixed(3)).padStart(7),
        (m.ttfb === null ? '–' : `${Math.round(m.ttfb)} ms`).padStart(7),
        String(m.totalByteWeight ?? '–').padStart(7),
      ].join(' '),
    );
  }
  return lines.join('\n');
}
