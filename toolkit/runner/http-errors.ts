/** Network failures as k6 reports them: status 0, an error text and k6's error_code. Shared by both HTTP transports. */
// The file, not k6-core's index: VU bundles include this module and must not pull in the bundler.
import { k6HttpError, type K6HttpErrorKind } from '../k6-core/http-errors.ts';
import type { HttpReply } from './protocol.ts';

/** Which of k6's kinds of network failure a Node, undici or runner error is. */
function errorKind(err: Error & { code?: string }): K6HttpErrorKind {
  switch (err.code) {
    case 'PERFKIT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'requestTimeout';
    case 'ECONNREFUSED':
      return 'connectionRefused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connectionReset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dnsNoSuchHost';
    case 'EPIPE':
      return 'brokenPipe';
    default:
      return 'generic';
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
  const { code, text } = k6HttpError(errorKind(err), err.message);
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
