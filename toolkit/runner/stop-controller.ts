/** How a run stops early: with which of k6's exit codes and why. The first reason wins. */
import { setMaxListeners } from 'node:events';

/** Stops a run once; its signal tells every executor and in-flight VU command to stop. */
export class StopController {
  private readonly abort = new AbortController();
  private stopCode: number | null = null;
  private stopReason: string | null = null;

  constructor() {
    // Every in-flight VU command listens for the stop: hundreds of listeners are expected.
    setMaxListeners(0, this.abort.signal);
  }

  /** Aborted when the run stops early, for whatever reason. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** The exit code of the first stop or failure, null while nothing went wrong. */
  get code(): number | null {
    return this.stopCode;
  }

  /** Why the run stopped early (RunOutcome.aborted), null when it did not. */
  get reason(): string | null {
    return this.stopReason;
  }

  /** Stops the test early with k6's exit code; later calls change nothing. */
  stop(code: number, reason: string): void {
    if (this.stopCode !== null) return;
    this.stopCode = code;
    this.stopReason = reason;
    this.abort.abort();
  }

  /** Records an exit code for a failure after the test (teardown) without stopping anything. */
  fail(code: number): void {
    this.stopCode ??= code;
  }

  /** Stops every VU without an exit code of its own: the safety net when a run outlives its options. */
  halt(): void {
    this.abort.abort();
  }
}
