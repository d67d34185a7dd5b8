import { Redis } from 'ioredis';
import type { Logger } from '../log.ts';

/**
 * Redis connections that never crash the process and never queue commands
 * while disconnected: callers get an error at once and fall back (cache
 * bypassed, sessions from the short local cache), and ioredis keeps
 * reconnecting so everything recovers without a restart.
 */
export function createRedis(url: string, name: string, log: Logger): Redis {
  const client = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(50 * times, 1_000),
    lazyConnect: false,
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) log.warn('redis unavailable', { connection: name, err: err.message });
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('redis reconnected', { connection: name });
    down = false;
  });
  return client;
}

/** True when commands can be sent right now. */
export const redisReady = (client: Redis): boolean => client.status === 'ready';

/** Waits until the client is ready, or rejects after timeoutMs (start-up only). */
export async function waitReady(client: Redis, timeoutMs: number): Promise<void> {
  if (redisReady(client)) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
