/**
 * The shared model's bridge: http.* and sleep() return promises that settle on the host thread's
 * event loop, so only this VU waits. The compiled script awaits them (transform.ts).
 */
import type { HttpReply, HttpRequestSpec } from '../../protocol.ts';
import { data, InterruptedIteration, isInterrupted } from '../../vu/state.ts';
import type { VuHostApi } from './host-api.ts';

const host = (data as unknown as { host: VuHostApi }).host;

export function applyConnectionOptions(): void {
  // noConnectionReuse: the host reads it from the options each request carries (host-vu.ts).
}

/** Called as an iteration starts. */
export function iterationConnections(options: Record<string, unknown>): void {
  if (options.noVUConnectionReuse === true) host.resetConnections();
}

export async function callHttp(reqs: HttpRequestSpec[]): Promise<HttpReply[]> {
  if (isInterrupted()) throw new InterruptedIteration();
  const replies = await host.http(reqs, data.options);
  if (replies === null || isInterrupted()) throw new InterruptedIteration();
  return replies;
}

/** k6's sleep for this VU alone; wakes early only when the iteration is interrupted. */
export async function blockFor(ms: number): Promise<void> {
  if (isInterrupted()) throw new InterruptedIteration();
  if (ms > 0 && !(await host.sleep(ms))) throw new InterruptedIteration();
}
