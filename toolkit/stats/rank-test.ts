/**
 * The Mann–Whitney U test on weighted samples ([value, count] pairs, so histograms and raw runs alike):
 * is the current run's distribution shifted above the baseline's? Small samples (Lighthouse runs) get the
 * exact permutation distribution, ties included; large ones the tie-corrected normal approximation.
 */
import { normalCdf } from './normal.ts';

/** Values with multiplicities, in any order. */
export type Weighted = ReadonlyArray<readonly [number, number]>;

/** The outcome of comparing a current sample with a baseline sample. */
export interface RankTest {
  /** One-sided p-value of "current is larger than baseline". */
  pGreater: number;
  /** One-sided p-value of "current is smaller than baseline". */
  pLess: number;
  /** P(a current value > a baseline value) + P(equal) / 2: 0.5 means no shift, 1 means always larger. */
  superiority: number;
  nCurrent: number;
  nBaseline: number;
  method: 'exact' | 'normal';
}

const total = (w: Weighted): number => w.reduce((s, [, n]) => s + n, 0);

/** U of the current sample: pairs (current > baseline) + half the ties, counted over merged distinct values. */
function uStatistic(current: Weighted, baseline: Weighted): number {
  const byValue = new Map<number, [number, number]>();
  for (const [v, n] of current) byValue.set(v, [(byValue.get(v)?.[0] ?? 0) + n, byValue.get(v)?.[1] ?? 0]);
  for (const [v, n] of baseline) byValue.set(v, [byValue.get(v)?.[0] ?? 0, (byValue.get(v)?.[1] ?? 0) + n]);
  let baselineBelow = 0;
  let u = 0;
  for (const [, [c, b]] of [...byValue].sort((x, y) => x[0] - y[0])) {
    u += c * (baselineBelow + b / 2);
    baselineBelow += b;
  }
  return u;
}

function expand(w: Weighted): number[] {
  return w.flatMap(([v, n]) => Array.from({ length: n }, () => v));
}

/** Every way to pick k of the pooled values as "current": the exact distribution of U under no difference. */
function exactTest(current: Weighted, baseline: Weighted, u: number): { pGreater: number; pLess: number } {
  const pooled = [...expand(current), ...expand(baseline)];
  const k = total(current);
  let atLeast = 0;
  let atMost = 0;
  let count = 0;
  const pick: number[] = [];
  const walk = (start: number): void => {
    if (pick.length === k) {
      const chosen = new Set(pick);
      const cur = pick.map((i): [number, number] => [pooled[i] ?? 0, 1]);
      const base = pooled.flatMap((v, i): Array<[number, number]> => (chosen.has(i) ? [] : [[v, 1]]));
      const x = uStatistic(cur, base);
      count++;
      if (x >= u - 1e-9) atLeast++;
      if (x <= u + 1e-9) atMost++;
      return;
    }
    for (let i = start; i <= pooled.length - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return { pGreater: atLeast / count, pLess: atMost / count };
}

function normalTest(current: Weighted, baseline: Weighted, u: number): { pGreater: number; pLess: number } {
  const n1 = total(current);
  const n2 = total(baseline);
  const n = n1 + n2;
  const ties = new Map<number, number>();
  for (const [v, c] of [...current, ...baseline]) ties.set(v, (ties.get(v) ?? 0) + c);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * t * t - t;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const mean = (n1 * n2) / 2;
  if (variance <= 0) return { pGreater: 1, pLess: 1 };
  const sd = Math.sqrt(variance);
  // Continuity correction of half a unit of U towards the mean.
  return { pGreater: 1 - normalCdf((u - mean - 0.5) / sd), pLess: normalCdf((u - mean + 0.5) / sd) };
}

/** Compares a current sample with a baseline: exact below 15 pooled values, normal approximation above. */
export function rankTest(current: Weighted, baseline: Weighted): RankTest | null {
  const nCurrent = total(current);
  const nBaseline = total(baseline);
  if (nCurrent === 0 || nBaseline === 0) return null;
  const u = uStatistic(current, baseline);
  const exact = nCurrent + nBaseline < 15;
  const p = exact ? exactTest(current, baseline, u) : normalTest(current, baseline, u);
  return {
    pGreater: Math.min(1, p.pGreater),
    pLess: Math.min(1, p.pLess),
    superiority: u / (nCurrent * nBaseline),
    nCurrent,
    nBaseline,
    method: exact ? 'exact' : 'normal',
  };
}

/** Plain values as weights of one each. */
export const weighted = (values: readonly number[]): Array<[number, number]> => values.map((v) => [v, 1]);
