/** Network failures as k6 reports them: status 0, an error text and k6's error_code. Shared by both HTTP transports. */
import type { HttpReply } from './protocol.ts';

/** k6's error codes for network failures (status 0). */
function errorCode(err: Error & { code?: string }): { code: number; text: string } {
  switch (err.code) {
    case 'PERFKIT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 1050, text: 'request timeout' };
    case 'ECONNREFUSED':
      return { code: 1212, text: `dial: connection refused (${err.message})` };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return { code: 1220, text: `connection reset by peer (${err.message})` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 1101, text: `lookup failed: no such host (${err.message})` };
    case 'EPIPE':
      return { code: 1201, text: `write: broken pipe (${err.message})` };
    default:
      return { code: 1000, text: err.message };
  }
}

export function timeoutError(): Error {
  return Object.assign(new Error('request timeout'), { code: 'PERFKIT_TIMEOUT' });
}

/**
 * The reply for a request that failed: k6's error code and text, and the time it took.
 * tConn: when it got its connection (0: never); tSent: when the request was written (0: never).
 */
export function failedReply(
  err: Error,
  startedAt: number,
  t0: number,
  tConn: number,
  tSent: number,
  bytesSent: number,
): HttpReply {
  const { code, text } = errorCode(err);
  const end = performance.now();
  const timings = {
    blocked: tConn ? tConn - t0 : end - t0,
    connecting: 0,
    tls_handshaking: 0,
    sending: 0,
    waiting: tConn ? end - (tSent || tConn) : 0,
    receiving: 0,
    duration: end - (tConn || t0),
  };
  return {
    status: 0,
    statusText: '',
    headers: '',
    body: null,
    timings,
    error: text,
    errorCode: code,
    bytesSent: tConn ? bytesSent : 0,
    bytesReceived: 0,
    startedAt,
  };
}
