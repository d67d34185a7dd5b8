/**
 * k6's error codes for requests that got no response (status 0, `error_code`
 * in samples and Response.error_code), with k6's wording of the error.
 * Engines map their own failures to one of these kinds.
 */

/** k6's numeric error_code per kind of network failure. */
export const K6_HTTP_ERROR_CODE = {
  generic: 1000,
  requestTimeout: 1050,
  dnsNoSuchHost: 1101,
  brokenPipe: 1201,
  connectionRefused: 1212,
  connectionReset: 1220,
} as const;

/** A kind of network failure k6 tells apart. */
export type K6HttpErrorKind = keyof typeof K6_HTTP_ERROR_CODE;

/** The error_code and error text k6 reports for a failure of that kind; `detail` is the engine's own message. */
export function k6HttpError(kind: K6HttpErrorKind, detail: string): { code: number; text: string } {
  const code = K6_HTTP_ERROR_CODE[kind];
  switch (kind) {
    case 'requestTimeout':
      return { code, text: 'request timeout' };
    case 'connectionRefused':
      return { code, text: `dial: connection refused (${detail})` };
    case 'connectionReset':
      return { code, text: `connection reset by peer (${detail})` };
    case 'dnsNoSuchHost':
      return { code, text: `lookup failed: no such host (${detail})` };
    case 'brokenPipe':
      return { code, text: `write: broken pipe (${detail})` };
    case 'generic':
      return { code, text: detail };
  }
}
