import type { QueryStat } from '../../toolkit/results/index.ts';

/** One pg_stat_statements row as read: cumulative since the last reset. */
export interface StatementRow {
  /** queryid (with the same text on another server it is another row). */
  id: string;
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
}

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

/**
 * Each statement's work between two readings (per server), the top `limit` by
 * total time with their share of all the work done in between. A statement
 * first seen in the second reading counts whole; one reset in between (fewer
 * calls than before) counts from the reset.
 */
export function statementDeltas(
  before: Map<string, StatementRow[]>,
  after: Map<string, StatementRow[]>,
  limit: number,
): QueryStat[] {
  const deltas: QueryStat[] = [];
  for (const [server, rows] of after) {
    const prior = new Map((before.get(server) ?? []).map((r) => [r.id, r]));
    for (const r of rows) {
      const p = prior.get(r.id);
      const base = p && p.calls <= r.calls ? p : undefined;
      const calls = r.calls - (base?.calls ?? 0);
      if (calls <= 0) continue;
      const totalMs = Math.max(0, r.totalMs - (base?.totalMs ?? 0));
      const query = r.query.replace(/\s+/g, ' ').trim();
      deltas.push({
        query,
        server,
        calls,
        totalMs,
        meanMs: totalMs / calls,
        rows: r.rows - (base?.rows ?? 0),
        share: 0,
      });
    }
  }
  const all = deltas.reduce((s, d) => s + d.totalMs, 0);
  return deltas
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, limit)
    .map((d) => ({
      ...d,
      totalMs: round(d.totalMs),
      meanMs: round(d.meanMs),
      rows: Math.max(0, d.rows),
      share: all > 0 ? round(d.totalMs / all, 4) : 0,
    }));
}
