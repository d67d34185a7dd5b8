import { connect } from 'node:net';

/**
 * Redis's own figure for the memory its data takes (INFO memory → used_memory),
 * asked over one short RESP connection; undefined when Redis does not answer
 * within timeoutMs. RSS alone would hide what the allocator keeps around.
 */
export function redisUsedMemory(redisUrl: string, timeoutMs = 1000): Promise<number | undefined> {
  const url = new URL(redisUrl);
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const finish = (value: number | undefined): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(value);
    };
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) }, () => {
      const auth = url.password
        ? command('AUTH', ...(url.username ? [decodeURIComponent(url.username)] : []), decodeURIComponent(url.password))
        : '';
      socket.write(auth + command('INFO', 'memory'));
    });
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.startsWith('-') || /\r\n-[^\r\n]*\r\n/.test(text)) return finish(undefined);
      const match = /^used_memory:(\d+)\r?$/m.exec(text);
      if (match) finish(Number(match[1]));
    });
  });
}

/** A RESP array of bulk strings. */
function command(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}
