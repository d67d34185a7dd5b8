/** The `k6/execution` module: where this VU and iteration are in the test. */
import { baseTags, cells, data, tagsChanged, TestAbort, vu } from './state.ts';
import { CELL } from '../protocol.ts';

const scenario = {
  get name(): string {
    return vu.run?.scenario ?? '';
  },
  get executor(): string {
    return vu.run?.executor ?? '';
  },
  get startTime(): number {
    return vu.run?.scenarioStart ?? 0;
  },
  /** Share of the planned duration elapsed (time-bound executors); 0 for iteration-bound ones. */
  get progress(): number {
    const run = vu.run;
    if (!run || run.plannedMs <= 0) return 0;
    return Math.min(1, (Date.now() - run.scenarioStart) / run.plannedMs);
  },
  get iterationInInstance(): number {
    return vu.iterationInTest;
  },
  get iterationInTest(): number {
    return vu.iterationInTest;
  },
};

const vuInfo = {
  get idInInstance(): number {
    return vu.id;
  },
  get idInTest(): number {
    return vu.id;
  },
  get iterationInInstance(): number {
    return vu.iterationInInstance;
  },
  get iterationInScenario(): number {
    return vu.iterationInScenario;
  },
  tags: new Proxy(vu.userTags, {
    get: (t, k: string) => baseTags()[k] ?? t[k],
    set: (t, k: string, v: unknown) => {
      t[k] = String(v);
      tagsChanged();
      return true;
    },
  }),
  metrics: {
    get tags(): Record<string, string> {
      return vu.userTags;
    },
    metadata: {} as Record<string, string>,
  },
};

const test = {
  abort(reason?: unknown): never {
    throw new TestAbort(reason === undefined || reason === null ? 'test aborted' : `test aborted: ${String(reason)}`);
  },
  get options(): Record<string, unknown> {
    return data.options;
  },
};

const instance = {
  get vusActive(): number {
    return 0;
  },
  get vusInitialized(): number {
    return 0;
  },
  get iterationsCompleted(): number {
    return 0;
  },
  get iterationsInterrupted(): number {
    return 0;
  },
  get currentTestRunDuration(): number {
    return vu.run ? Date.now() - vu.run.testStart : 0;
  },
};

/** True while main asks this VU to wind down (gracefulRampDown); scripts rarely need it. */
export function stopping(): boolean {
  return Atomics.load(cells, CELL.softStop) !== 0;
}

export { scenario, vuInfo as vu, test, instance };
export default { scenario, vu: vuInfo, test, instance };
