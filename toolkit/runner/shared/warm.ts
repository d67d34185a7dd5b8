/**
 * A host thread's first request, made before any VU needs one: a VU's HTTP path (its client's code,
 * compiled on first use) cost the first request of a fresh thread ~20 ms against ~2 ms after (on a quiet
 * machine; hundreds of ms with the machine busy), which the test's first iterations then paid. One
 * request to a server of this thread's own on the loopback interface, through the same host functions
 * the VUs get, moves that cost to VU init.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { CELLS_BYTES, type HttpRequestSpec } from '../protocol.ts';
import type { VuHostApi } from './vu/host-api.ts';

/** Gives up after this long (the run goes on either way: only the first request is slower). */
const WARM_LIMIT_MS = 2000;

export async function warmHttp(makeApi: (cells: Int32Array) => VuHostApi & { close(): void }): Promise<void> {
  // A raw net server (node:http's server would be loaded into every host thread for one request).
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nwarm'));
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  const api = makeApi(new Int32Array(new SharedArrayBuffer(CELLS_BYTES)));
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const spec: HttpRequestSpec = {
      method: 'GET',
      url: `${origin}/`,
      origin,
      path: '/',
      headers: [],
      body: null,
      timeoutMs: WARM_LIMIT_MS,
      responseType: 'text',
    };
    await Promise.race([api.http([spec], {}), new Promise((resolve) => (timer = setTimeout(resolve, WARM_LIMIT_MS)))]);
  } catch {
    // Only a start-up optimisation: the VUs' own requests report their errors.
  } finally {
    clearTimeout(timer);
    api.close();
    for (const s of sockets) s.destroy();
    server.close();
  }
}
