/**
 * Log-bucketed histogram: every value lands in a bucket whose bounds differ by GAMMA, so the
 * bucket's midpoint is within ~1% of any value in it. Used by trends past their exact-value limit.
 */
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);
/** Worst relative error of a value read back from its bucket: (GAMMA - 1) / (GAMMA + 1) < 1%. */
export const HISTOGRAM_RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

export class LogHistogram {
  private readonly positive = new Map<number, number>();
  private readonly negative = new Map<number, number>();
  private zeros = 0;
  count = 0;

  add(value: number): void {
    this.count++;
    if (value === 0 || !Number.isFinite(value)) {
      this.zeros++;
      return;
    }
    const map = value > 0 ? this.positive : this.negative;
    const index = Math.ceil(Math.log(Math.abs(value)) / LOG_GAMMA);
    map.set(index, (map.get(index) ?? 0) + 1);
  }

  /** Buckets in ascending value order as [representative value, count]. */
  private ordered(): Array<[number, number]> {
    const mid = (index: number): number => (2 * GAMMA ** index) / (GAMMA + 1);
    const negative = [...this.negative].sort((a, b) => b[0] - a[0]).map(([i, n]): [number, number] => [-mid(i), n]);
    const positive = [...this.positive].sort((a, b) => a[0] - b[0]).map(([i, n]): [number, number] => [mid(i), n]);
    return [...negative, ...(this.zeros > 0 ? [[0, this.zeros] as [number, number]] : []), ...positive];
  }

  /** The values at the given 0-based ranks (ascending ranks), read back from their buckets. */
  atRanks(ranks: readonly number[]): number[] {
    const out: number[] = [];
    let seen = 0;
    let next = 0;
    for (const [value, n] of this.ordered()) {
      seen += n;
      while (next < ranks.length && (ranks[next] ?? 0) < seen) {
        out.push(value);
        next++;
      }
    }
    return out;
  }
}
