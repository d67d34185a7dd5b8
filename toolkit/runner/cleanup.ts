/** What a run must undo however it ends: steps registered as resources are acquired, run last-first. */

/** A stack of undo steps. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  /** Registers a step; it runs before every step registered earlier. */
  defer(step: () => unknown): void {
    this.steps.push(step);
  }

  /** Runs every step once, last registered first, each after the previous one settled. */
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step();
  }
}
