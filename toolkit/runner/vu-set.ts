/** Every VU worker of a run, so that each one is terminated however the run ends. */
import { spawnMany, spawnVu, type PoolConfig, type VuHandle } from './vu-pool.ts';

/** The init VU (__VU 0) and the load VUs, numbered from 1 in the order they start. */
export class VuSet {
  private readonly load: VuHandle[] = [];
  private readonly others: VuHandle[] = [];
  private readonly starting = new Set<Promise<unknown>>();
  private nextId = 1;
  private closed = false;

  /** Keeps a VU that is not a load VU (the init VU) for termination. */
  keep(vu: VuHandle): void {
    this.others.push(vu);
  }

  /** Starts `count` load VUs in parallel batches; all or none (a failed init terminates the started ones). */
  async spawn(pool: PoolConfig, count: number): Promise<VuHandle[]> {
    const vus = await this.track(spawnMany(pool, this.nextId, count));
    this.nextId += count;
    this.load.push(...vus);
    return vus;
  }

  /** Starts one more load VU (arrival-rate executors grow up to maxVUs). */
  async spawnOne(pool: PoolConfig): Promise<VuHandle> {
    const { vu } = await this.track(spawnVu(pool, this.nextId++));
    this.load.push(vu);
    if (this.closed) {
      // Asked for before the run ended (an arrival-rate grow still in flight), ready after: nothing left to do.
      await vu.terminate();
      throw new Error(`VU ${vu.id} started after the run ended`);
    }
    return vu;
  }

  /** The load VUs, in the order they started. */
  list(): readonly VuHandle[] {
    return this.load;
  }

  /** Load VUs running a command now. */
  busyCount(): number {
    return this.load.filter((v) => v.busy).length;
  }

  /** Waits for VUs still starting, then ends every worker. */
  async terminateAll(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.starting]);
    await Promise.allSettled([...this.load, ...this.others].map((v) => v.terminate()));
  }

  private track<T>(start: Promise<T>): Promise<T> {
    this.starting.add(start);
    void start.then(
      () => this.starting.delete(start),
      () => this.starting.delete(start),
    );
    return start;
  }
}
