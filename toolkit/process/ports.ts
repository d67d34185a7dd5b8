/** Free loopback ports for the private services. */
import { createServer } from 'node:net';

/** Resolves the port a loopback listener got, or undefined when binding failed (port taken). */
function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const got = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(got));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await tryListen(port)) === port;
}

/**
 * A free TCP port on 127.0.0.1. With `prefer`, that port when it is free;
 * a taken preferred port is skipped in favour of one the OS picks.
 * Ports in `avoid` (already handed out to the caller's other services) are never returned.
 */
export async function freePort(options: { prefer?: number; avoid?: number[] } = {}): Promise<number> {
  const avoid = new Set(options.avoid ?? []);
  if (options.prefer !== undefined && !avoid.has(options.prefer) && (await isPortFree(options.prefer)))
    return options.prefer;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await tryListen(0);
    if (port !== undefined && !avoid.has(port)) return port;
  }
  throw new Error('could not find a free loopback port after 20 attempts');
}
