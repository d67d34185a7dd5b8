import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { redisUsedMemory } from './redis-info.ts';

describe('redisUsedMemory', () => {
  it("reads used_memory from the test stack's Redis", async () => {
    const bytes = await redisUsedMemory(process.env['REDIS_URL'] ?? '');
    expect(bytes).toBeGreaterThan(100_000);
  });

  it('is undefined when nothing answers or the server refuses', async () => {
    const server = createServer((s) => {
      s.on('error', () => undefined);
      s.end('-NOAUTH Authentication required.\r\n');
      s.destroySoon();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await redisUsedMemory(`redis://127.0.0.1:${port}`)).toBeUndefined();
    await new Promise((r) => server.close(r));
    expect(await redisUsedMemory(`redis://127.0.0.1:${port}`, 300)).toBeUndefined();
  });
});
