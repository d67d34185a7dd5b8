/** Test servers on a free loopback port. */
import type { Server } from 'node:net';

/** Listens on 127.0.0.1 and a free port; resolves with the server's base URL (http://127.0.0.1:PORT). */
export async function listenLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Closes a server; resolves once it has. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
