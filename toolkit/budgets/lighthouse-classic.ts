import type { LighthouseResult, Results } from '../results/schema.ts';
import type { BudgetCheck, Measurement } from './checks.ts';
import type { LighthouseBudget } from './schema.ts';

/**
 * Lighthouse's path pattern: starts with `/`, `*` matches anything, a trailing
 * `$` anchors the end; otherwise it matches as a prefix of path + query.
 */
export function matchesLighthousePath(pattern: string | undefined, url: string): boolean {
  if (pattern === undefined) return true;
  let target: string;
  try {
    const u = new URL(url);
    target = u.pathname + u.search;
  } catch {
    target = url;
  }
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`).test(target);
}

function measureFor(path: string | undefined, read: (l: LighthouseResult) => number | null | undefined) {
  return (r: Results): Measurement[] | undefined => {
    const list = (r.frontend?.lighthouse ?? []).filter((l) => matchesLighthousePath(path, l.url));
    return list.length === 0
      ? undefined
      : list.map((l) => ({ subject: `${l.page} · ${l.preset} · ${l.mode}`, value: read(l) ?? null }));
  };
}

/** A type absent from a collected summary had no requests; an empty summary means it was not collected. */
const summaryOf = (l: LighthouseResult, type: string, key: 'transferSize' | 'requestCount'): number | null =>
  l.resourceSummary.length === 0 ? null : (l.resourceSummary.find((s) => s.resourceType === type)?.[key] ?? 0);

/**
 * Turns a classic Lighthouse budget.json into checks judged against the
 * Lighthouse results' resource-summary and metrics, as Lighthouse CI does:
 * sizes are KiB, timings ms (a timing's tolerance widens its budget).
 */
export function lighthouseBudgetChecks(budgets: LighthouseBudget): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  const base = {
    level: 'error' as const,
    tolerance: null,
    toleranceText: null,
    optional: false,
    inconclusive: 'warn' as const,
    regressionLevel: 'error' as const,
    alpha: 0.05,
  };
  budgets.forEach((b, i) => {
    const where = b.path ? ` on ${b.path}` : '';
    b.resourceSizes?.forEach((s, j) => {
      out.push({
        ...base,
        pointer: `/${i}/resourceSizes/${j}/budget`,
        label: `${s.resourceType} transfer size${where}`,
        kind: 'size',
        operator: '<=',
        limit: s.budget * 1024,
        measure: measureFor(b.path, (l) => summaryOf(l, s.resourceType, 'transferSize')),
      });
    });
    b.resourceCounts?.forEach((c, j) => {
      out.push({
        ...base,
        pointer: `/${i}/resourceCounts/${j}/budget`,
        label: `${c.resourceType} requests${where}`,
        kind: 'count',
        operator: '<=',
        limit: c.budget,
        measure: measureFor(b.path, (l) => summaryOf(l, c.resourceType, 'requestCount')),
      });
    });
    b.timings?.forEach((t, j) => {
      const cls = t.metric === 'cumulative-layout-shift';
      out.push({
        ...base,
        pointer: `/${i}/timings/${j}/budget`,
        label: `Lighthouse ${t.metric}${where}`,
        kind: cls ? 'number' : 'duration',
        operator: '<=',
        limit: t.budget + (t.tolerance ?? 0),
        measure: measureFor(b.path, (l) => l.metrics[t.metric as keyof LighthouseResult['metrics']]),
      });
    });
  });
  return out;
}
