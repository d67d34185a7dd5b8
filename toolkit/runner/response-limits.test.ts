/**
 * The VU socket addon's bounds, against a real loopback server sending the fuzz
 * corpus's hostile responses: a chunk size of 16+ hex digits (which overflowed
 * size_t and made memmove run out of bounds), a huge Content-Length, and heads
 * and bodies past configured limits. Each fails as a k6 network error
 * (status 0, error_code 1000, a message naming the limit) and the VU goes on.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import { runBuiltin } from './index.ts';
import { responseLimits } from './response-limits.ts';

const CORPUS = join(import.meta.dirname, 'native/fuzz/corpus');
const corpus = (name: string): Buffer => readFileSync(join(CORPUS, `${name}.http`));
const big = 'x'.repeat(100_000);
const ANSWERS: Record<string, Buffer> = {
  'chunk-size-overflow': corpus('chunk-size-overflow'),
  'chunk-size-17-digits': corpus('chunk-size-17-digits'),
  'content-length-huge': corpus('content-length-huge'),
  'valid-chunked': corpus('valid-chunked'),
  'big-sized': Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}`),
  'big-chunked': Buffer.from(
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${`8000\r\n${'y'.repeat(0x8000)}\r\n`.repeat(3)}0\r\n\r\n`,
  ),
  'big-eof': Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${big}`),
  'big-head': Buffer.from(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(8000)}\r\nContent-Length: 0\r\n\r\n`),
};
let server: Server;
let rawUrl = '';

beforeAll(async () => {
  server = createServer((socket) => {
    socket.once('data', (chunk) => {
      const path = /^GET \/(\S*)/.exec(chunk.toString('latin1'))?.[1] ?? '';
      socket.on('error', () => undefined);
      socket.end(ANSWERS[path] ?? Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'));
    });
  });
  rawUrl = await listenLoopback(server);
});
afterAll(() => closeServer(server));

describe('response bounds of the vu transport', () => {
  it('refuses overflowing chunk sizes, huge lengths and oversized heads and bodies with k6 error 1000', async () => {
    let err = '';
    const o = await runBuiltin({
      script: join(import.meta.dirname, 'fixtures/bounds.js'),
      env: { RAW_URL: rawUrl },
      quiet: true,
      noSummary: true,
      httpTransport: 'vu',
      // The isolate model's transports (the shared VU model has its own client, shared/net-http.ts).
      vuModel: 'isolate',
      processEnv: {
        ...process.env,
        PERFKIT_MAX_RESPONSE_HEADER_BYTES: '4096',
        PERFKIT_MAX_RESPONSE_BODY_BYTES: '65536',
      },
      stderr: { write: (s: string) => (err += s) },
    });
    expect(o.httpTransport).toBe('vu');
    expect(o.exitCode, err).toBe(0);
    const checks = (o.summary?.root_group.checks ?? []).map((c) => [c.name, c.passes, c.fails]);
    expect(checks).toHaveLength(8);
    expect(
      checks.filter(([, , fails]) => fails !== 0),
      err,
    ).toEqual([]);
  });

  it('limits come from the environment record and are validated', () => {
    expect(responseLimits({})).toEqual({ headBytes: 10 * 1024 * 1024, bodyBytes: 64 * 1024 * 1024 });
    expect(responseLimits({ PERFKIT_MAX_RESPONSE_BODY_BYTES: '1024' }).bodyBytes).toBe(1024);
    expect(() => responseLimits({ PERFKIT_MAX_RESPONSE_HEADER_BYTES: '1e3x' })).toThrow(
      /PERFKIT_MAX_RESPONSE_HEADER_BYTES=1e3x: expected a whole number of bytes/,
    );
  });
});
