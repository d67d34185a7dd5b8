/** What the host thread gives each VU of the shared model (through its workerData shim). */
import type { HttpReply, HttpRequestSpec } from '../../protocol.ts';

export interface VuHostApi {
  /** Runs the requests on the VU's own keep-alive pool; null when the iteration was interrupted meanwhile. */
  http(reqs: HttpRequestSpec[], options: Record<string, unknown>): Promise<HttpReply[] | null>;
  /** Waits `ms`; false when the iteration was interrupted meanwhile. */
  sleep(ms: number): Promise<boolean>;
  /** Closes the VU's idle connections (noVUConnectionReuse). */
  resetConnections(): void;
}
