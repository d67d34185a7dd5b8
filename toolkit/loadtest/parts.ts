/**
 * Parts that fail alone: the browser under load, Lighthouse and the bundle analysis. When one fails the
 * run goes on, the part is recorded in results.json (meta.failedParts) with its error, its budget entries
 * fail with `error: part failed (…)`, and the load results are kept and reported.
 */
import { ToolkitError } from '../errors.ts';

/** A part of the run that may fail without stopping it. */
export type PartName = 'browserUnderLoad' | 'lighthouse' | 'bundle';

/** A part that failed, and why. */
export interface PartFailure {
  part: PartName;
  error: string;
}

/** The budget entries each part measures (JSON pointer prefixes). */
const PART_POINTERS: Record<PartName, string[]> = {
  browserUnderLoad: ['/frontend/loadTime', '/frontend/renderTime'],
  lighthouse: ['/frontend/lighthouse'],
  bundle: ['/bundle', '/frontend/bundleSize'],
};

/** One line for an error: the catalogue code and message, or the message of a bug. */
export function errorLine(err: unknown): string {
  const text = err instanceof ToolkitError ? `${err.code}: ${err.message}` : ((err as Error)?.message ?? String(err));
  return text.split('\n')[0] ?? text;
}

/**
 * Runs one part; when it throws (and the run was not interrupted) the failure is logged and recorded,
 * and undefined is returned so the run goes on.
 */
export async function guardPart<T>(
  part: PartName,
  failures: PartFailure[],
  log: (line: string) => void,
  signal: AbortSignal | undefined,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (signal?.aborted) throw err;
    const error = errorLine(err);
    failures.push({ part, error });
    log(`  ${part} failed, the run goes on without it: ${error}`);
    return undefined;
  }
}

/** Budget prefixes of the failed parts → their error, for the budgets stage. */
export function failedPointers(failures: PartFailure[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of failures) for (const prefix of PART_POINTERS[f.part]) out[prefix] = `${f.part}: ${f.error}`;
  return out;
}
