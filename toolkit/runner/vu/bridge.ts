/**
 * The blocking half of http.*. With the vu-socket addon, a single plain-http
 * request runs on the VU's own sockets (direct-http.ts). Otherwise (no addon,
 * https, batches): post the request on the sync port, sleep in Atomics.wait
 * until the I/O side stores + notifies, then read the reply with
 * receiveMessageOnPort. The wait has a timeout so a lost wake-up cannot hang a VU.
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import {
  CELL,
  decodeReplies,
  encodeRequests,
  type HttpReply,
  type HttpRequestSpec,
  type SyncWire,
} from '../protocol.ts';
import { DirectHttp, loadVuSocketAddon } from './direct-http.ts';
import { cells, data, InterruptedIteration, isInterrupted } from './state.ts';

const direct = data.vuSocketAddon ? new DirectHttp(loadVuSocketAddon(data.vuSocketAddon), data.responseLimits) : null;

/** k6's connection options: noConnectionReuse (a connection per request), noVUConnectionReuse (none kept across iterations). */
export function applyConnectionOptions(options: Record<string, unknown>): void {
  if (direct) direct.noReuse = options.noConnectionReuse === true;
}

/** Called as an iteration starts. */
export function iterationConnections(options: Record<string, unknown>): void {
  if (direct && options.noVUConnectionReuse === true) direct.closeIdle();
}

let nextId = 1;

export function callHttp(reqs: HttpRequestSpec[]): HttpReply[] {
  // Past the graceful stop: no new request (a loop of fast requests would never wait long enough to notice).
  if (isInterrupted()) throw new InterruptedIteration();
  if (direct && reqs.length === 1 && reqs[0]!.origin.startsWith('http:')) return [direct.request(reqs[0]!)];
  const id = nextId++;
  Atomics.store(cells, CELL.reply, 0);
  data.syncPort.postMessage(encodeRequests(id, reqs));
  for (;;) {
    Atomics.wait(cells, CELL.reply, 0, 500);
    for (let m = receiveMessageOnPort(data.syncPort); m; m = receiveMessageOnPort(data.syncPort)) {
      const reply = m.message as SyncWire;
      // Replies to requests abandoned by an interrupt arrive late: skip them.
      if (reply[0] === id) return decodeReplies(reply);
    }
    Atomics.store(cells, CELL.reply, 0);
    if (isInterrupted()) throw new InterruptedIteration();
  }
}

/** k6's sleep: blocks the VU, wakes early only when the iteration is interrupted. */
export function blockFor(ms: number): void {
  if (ms <= 0) return;
  const until = Date.now() + ms;
  for (let left = ms; left > 0; left = until - Date.now()) {
    Atomics.wait(cells, CELL.interrupt, 0, left);
    if (isInterrupted()) throw new InterruptedIteration();
  }
}
