import { describe, expect, it } from 'vitest';
import { statementDeltas, type StatementRow } from './statement-deltas.ts';

const row = (id: string, calls: number, totalMs: number, query = `SELECT ${id}`): StatementRow => ({
  id,
  query,
  calls,
  totalMs,
  rows: calls,
});

describe('statementDeltas', () => {
  it('takes the run window, ranks by total time, and shares out the time', () => {
    const before = new Map([['primary', [row('a', 10, 100), row('b', 5, 50), row('gone', 3, 1)]]]);
    const after = new Map([
      ['primary', [row('a', 30, 400), row('b', 5, 50), row('new', 2, 100, 'SELECT\n   x  FROM t')]],
      ['replica', [row('a', 1, 500)]],
    ]);
    const d = statementDeltas(before, after, 10);
    expect(d.map((q) => [q.server, q.query, q.calls, q.totalMs])).toEqual([
      ['replica', 'SELECT a', 1, 500],
      ['primary', 'SELECT a', 20, 300],
      ['primary', 'SELECT x FROM t', 2, 100],
    ]);
    expect(d[1]?.meanMs).toBe(15);
    expect(d.reduce((s, q) => s + q.share, 0)).toBeCloseTo(1, 3);
    expect(d[0]?.share).toBeCloseTo(500 / 900, 3);
  });

  it('counts a statement reset in between from the reset, and keeps the top N', () => {
    const before = new Map([['primary', [row('a', 100, 1000)]]]);
    const after = new Map([['primary', [row('a', 4, 40), row('b', 1, 1), row('c', 1, 2)]]]);
    const d = statementDeltas(before, after, 2);
    expect(d.map((q) => [q.query, q.calls, q.totalMs])).toEqual([
      ['SELECT a', 4, 40],
      ['SELECT c', 1, 2],
    ]);
  });
});
