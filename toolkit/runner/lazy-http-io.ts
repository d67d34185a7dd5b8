/**
 * The main thread's shared pool (http-io.ts, over undici), imported on its first request. The isolate
 * model's VUs send it some requests (https, batches, no socket addon); a run on the shared VU model
 * sends it none, and importing undici costs the main thread about 10 MB of RSS (README "Shared VU model").
 */
import type { HttpIo } from './http-io.ts';
import type { HttpReply, WireRequest } from './protocol.ts';

/** What the runner uses of the pool. */
export type RequestPool = Pick<HttpIo, 'execute' | 'close'>;

export class LazyHttpIo implements RequestPool {
  private io: HttpIo | null = null;
  private loading: Promise<HttpIo> | null = null;

  execute(spec: WireRequest, reply: (r: HttpReply) => void): void {
    if (this.io) return this.io.execute(spec, reply);
    // An import that fails is the runner's bug: it surfaces as an unhandled rejection, not as a hung request.
    void this.load().then((io) => io.execute(spec, reply));
  }

  private load(): Promise<HttpIo> {
    this.loading ??= import('./http-io.ts').then((m) => (this.io = new m.HttpIo()));
    return this.loading;
  }

  async close(): Promise<void> {
    if (this.loading) await (await this.loading).close();
  }
}
