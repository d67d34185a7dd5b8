/** The response parser fed every way a socket can cut a response: the same result wherever the cuts fall. */
import { describe, expect, it } from 'vitest';
import { PARSE, ResponseParser } from './http-parse.ts';

const LIMITS = { headBytes: 4096, bodyBytes: 1 << 20 };

const RESPONSES: Record<string, string> = {
  sized: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world',
  chunked:
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n',
  informational: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
  untrimmed: 'HTTP/1.1 404 Not Found\r\nX-A:\t spaced  \r\nX-B:tight\r\nno colon line\r\nContent-Length: 0\r\n\r\n',
  'utf-8': `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength('héllo ✓')}\r\n\r\nhéllo ✓`,
};

interface Parsed {
  rc: number;
  status: number;
  statusText: string;
  headers: string;
  body: unknown;
  bytesRead: number;
  keepAlive: boolean;
}

function parse(pieces: Buffer[], eof = false): Parsed {
  const p = new ResponseParser(LIMITS);
  p.reset(false, true);
  let rc: number = PARSE.more;
  for (const piece of pieces) {
    rc = p.feed(piece);
    if (rc !== PARSE.more) break;
  }
  if (rc === PARSE.more && eof) rc = p.end();
  return {
    rc,
    status: p.status,
    statusText: p.statusText,
    headers: p.headers,
    body: p.body('text'),
    bytesRead: p.bytesRead,
    keepAlive: p.keepAlive,
  };
}

describe('ResponseParser', () => {
  it('gives the same response for every single cut and for byte-by-byte reads', () => {
    for (const [name, text] of Object.entries(RESPONSES)) {
      const whole = Buffer.from(text);
      const ref = parse([whole]);
      expect(ref.rc, name).toBe(PARSE.done);
      expect(ref.bytesRead, name).toBe(whole.length);
      for (let i = 1; i < whole.length; i++)
        expect(parse([whole.subarray(0, i), whole.subarray(i)]), `${name} cut at ${i}`).toEqual(ref);
      const bytes = [...whole].map((b) => Buffer.from([b]));
      expect(parse(bytes), `${name} byte by byte`).toEqual(ref);
    }
  });

  it('parses heads, framing and bodies as the vu-socket addon does', () => {
    expect(parse([Buffer.from(RESPONSES.sized!)])).toMatchObject({
      status: 200,
      statusText: 'OK',
      headers: 'Content-Type: text/plain\nContent-Length: 11\n',
      body: 'hello world',
      keepAlive: true,
    });
    expect(parse([Buffer.from(RESPONSES.chunked!)])).toMatchObject({ body: 'hello world' });
    expect(parse([Buffer.from(RESPONSES.informational!)])).toMatchObject({ status: 201, body: 'ok' });
    expect(parse([Buffer.from(RESPONSES.untrimmed!)])).toMatchObject({
      status: 404,
      statusText: 'Not Found',
      headers: 'X-A: spaced\nX-B: tight\nContent-Length: 0\n',
      body: '',
    });
    expect(parse([Buffer.from(RESPONSES['utf-8']!)]).body).toBe('héllo ✓');
    // HTTP/1.0 without keep-alive, Connection: close, and a body to the end of the stream.
    expect(parse([Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')]).keepAlive).toBe(false);
    expect(parse([Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')]).keepAlive).toBe(
      false,
    );
    const eof = parse([Buffer.from('HTTP/1.1 200 OK\r\n\r\nuntil'), Buffer.from(' close')], true);
    expect(eof).toMatchObject({ rc: PARSE.done, body: 'until close', keepAlive: false });
    // Bytes past the response: done, but the connection is not reused.
    expect(parse([Buffer.from(`${RESPONSES.sized}HTTP/1.1`)])).toMatchObject({ rc: PARSE.done, keepAlive: false });
  });

  it('refuses what is not HTTP/1.x, bad framing, and heads or bodies past the limits', () => {
    expect(parse([Buffer.from('SSH-2.0-OpenSSH\r\n\r\n')]).rc).toBe(PARSE.proto);
    expect(parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n')]).rc).toBe(PARSE.proto);
    expect(parse([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')]).rc).toBe(PARSE.proto);
    expect(parse([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n')]).rc).toBe(
      PARSE.proto,
    );
    expect(parse([Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(5000)}\r\n\r\n`)]).rc).toBe(PARSE.headTooBig);
    expect(parse([Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(5000)}`)]).rc).toBe(PARSE.headTooBig);
    expect(parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n')]).rc).toBe(
      PARSE.bodyTooBig,
    );
    expect(parse([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n')]).rc).toBe(
      PARSE.bodyTooBig,
    );
    expect(parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab')], true).rc).toBe(PARSE.eof);
  });
});
