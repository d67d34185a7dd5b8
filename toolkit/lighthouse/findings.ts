import type { LighthouseFinding } from './types.ts';

/** The parts of an LHR's audits and performance category that findings are read from. */
export interface FindingsSource {
  categories: Record<string, { auditRefs?: Array<{ id: string; group?: string }> } | undefined>;
  audits: Record<
    string,
    | {
        title?: string;
        score?: number | null;
        scoreDisplayMode?: string;
        displayValue?: string;
        metricSavings?: Record<string, number | undefined>;
        details?: unknown;
      }
    | undefined
  >;
}

/** Findings kept per run: enough to say what to fix first, small enough for results.json. */
export const MAX_FINDINGS = { opportunity: 6, diagnostic: 6 } as const;

/** Lighthouse's report shows an audit as passed when it is manual, not applicable, or scored 0.9 or more. */
function showsAsPassed(mode: string | undefined, score: number | null | undefined): boolean {
  if (mode === 'manual' || mode === 'notApplicable') return true;
  if (mode === 'error' || mode === 'informative') return false;
  return Number(score) >= 0.9;
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Estimated metric savings above zero (Lighthouse's metricSavings: LCP, FCP, TBT, CLS, INP). */
function savedMetrics(m: Record<string, number | undefined> | undefined): Record<string, number> | undefined {
  const kept = Object.entries(m ?? {}).filter((e): e is [string, number] => (finite(e[1]) ?? 0) > 0);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

function weight(f: LighthouseFinding): number {
  return (f.savingsMs ?? 0) * 1e6 + (f.savingsBytes ?? 0) + Math.max(0, ...Object.values(f.metricSavings ?? {}));
}

/**
 * The performance category's `diagnostics` group as the report's classic view
 * lists it (the hidden insight audits left out): opportunities (details of
 * type `opportunity`, with their estimated savings in ms and bytes) and diagnostics that the
 * Lighthouse report would list as not passed (opportunities also while they
 * still estimate a saving), in the order of their savings
 * (opportunities) or score (diagnostics), at most MAX_FINDINGS of each.
 */
export function extractFindings(lhr: FindingsSource): LighthouseFinding[] {
  const refs = lhr.categories['performance']?.auditRefs ?? [];
  const found: LighthouseFinding[] = [];
  for (const ref of refs) {
    const audit = lhr.audits[ref.id];
    if (ref.group !== 'diagnostics' || !audit) continue;
    const details = (audit.details ?? {}) as {
      type?: unknown;
      overallSavingsMs?: unknown;
      overallSavingsBytes?: unknown;
    };
    const opportunity = details.type === 'opportunity';
    const savingsMs = opportunity ? finite(details.overallSavingsMs) : undefined;
    const savingsBytes = opportunity ? finite(details.overallSavingsBytes) : undefined;
    // Kept: what the report lists as not passed, and any opportunity that still estimates a saving.
    const weighted = (savingsMs ?? 0) > 0 || (savingsBytes ?? 0) > 0;
    if (showsAsPassed(audit.scoreDisplayMode, audit.score) && !weighted) continue;
    const metricSavings = savedMetrics(audit.metricSavings);
    found.push({
      id: ref.id,
      title: audit.title ?? ref.id,
      kind: opportunity ? 'opportunity' : 'diagnostic',
      score: finite(audit.score) ?? null,
      ...(audit.displayValue ? { displayValue: audit.displayValue } : {}),
      ...(savingsMs !== undefined ? { savingsMs } : {}),
      ...(savingsBytes !== undefined ? { savingsBytes } : {}),
      ...(metricSavings ? { metricSavings } : {}),
    });
  }
  const pick = (kind: LighthouseFinding['kind'], order: (a: LighthouseFinding, b: LighthouseFinding) => number) =>
    found
      .filter((f) => f.kind === kind)
      .sort(order)
      .slice(0, MAX_FINDINGS[kind]);
  return [
    ...pick('opportunity', (a, b) => weight(b) - weight(a) || a.id.localeCompare(b.id)),
    ...pick(
      'diagnostic',
      (a, b) => (a.score ?? 0) - (b.score ?? 0) || weight(b) - weight(a) || a.id.localeCompare(b.id),
    ),
  ];
}
