/** The test clock and the iterations done and interrupted, as progress lines and the summary read them. */
import type { Progress } from '../k6-core/index.ts';

/** Counts a running test's iterations; its clock starts when it is made and stops at end(). */
export class ProgressCounter {
  private iterations = 0;
  private interrupted = 0;
  private endedAt = 0;

  constructor(readonly startedAt: number) {}

  count(done: number, interrupted: number): void {
    this.iterations += done;
    this.interrupted += interrupted;
  }

  end(at = Date.now()): void {
    this.endedAt = at;
  }

  /** Time on the test clock: up to now while running, up to end() after. */
  elapsedMs(now = Date.now()): number {
    return (this.endedAt || now) - this.startedAt;
  }

  snapshot(totalMs: number, vus: { busy: number; max: number }): Progress {
    return {
      elapsedMs: this.elapsedMs(),
      totalMs,
      vus: vus.busy,
      vusMax: vus.max,
      iterations: this.iterations,
      interrupted: this.interrupted,
    };
  }
}
