import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a response's data came from, as reported in X-Served-By. */
export type ServedBy = 'primary' | 'replica' | 'cache' | 'none';

/** Collects which database served the reads made while building one result. */
export interface Trace {
  servedBy: ServedBy;
}

const storage = new AsyncLocalStorage<Trace>();

/** Runs `fn` with a fresh trace and returns its result with where the data came from. */
export async function traced<T>(fn: () => Promise<T>): Promise<{ value: T; servedBy: ServedBy }> {
  const trace: Trace = { servedBy: 'none' };
  const value = await storage.run(trace, fn);
  return { value, servedBy: trace.servedBy };
}

/** Called by the db layer: the primary wins over the replica when a result used both. */
export function noteServedBy(source: 'primary' | 'replica'): void {
  const trace = storage.getStore();
  if (!trace) return;
  if (trace.servedBy === 'none' || source === 'primary') trace.servedBy = source;
}
