import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../log.ts';

/** An error with an HTTP status and a stable code; the API answers `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    opts: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = opts.details;
    this.headers = opts.headers ?? {};
  }
}

export const unauthenticated = (): HttpError => new HttpError(401, 'UNAUTHENTICATED', 'sign in first');
export const notFound = (code: string, message: string): HttpError => new HttpError(404, code, message);
/** A lone `%` or a broken UTF-8 sequence in the path: the client's mistake, not ours. */
export const invalidUrl = (): HttpError =>
  new HttpError(400, 'INVALID_URL', 'the URL has a malformed percent-encoding; write a literal "%" as %25');
export const unavailable = (code: string, message: string, retryAfterS: number, cause?: unknown): HttpError =>
  new HttpError(503, code, message, { headers: { 'Retry-After': String(retryAfterS) }, cause });

/** Errors from pg / ioredis meaning "the dependency is unreachable", not a bug. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      '57P01',
      '57P02',
      '57P03',
      '08006',
      '08001',
      '08003',
    ].includes(code)
  )
    return true;
  return /Connection terminated|connect ECONNREFUSED|Connection is closed|Stream isn't writeable|enableOfflineQueue|the database system is (shutting down|starting up)|timeout exceeded when trying to connect/i.test(
    err.message,
  );
}

/** The last handler: every error becomes the stable JSON shape; a 500 is always logged with its cause. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let httpErr: HttpError;
    if (err instanceof HttpError) httpErr = err;
    // The router decodes path parameters and throws URIError on a bad encoding.
    else if (err instanceof URIError) httpErr = invalidUrl();
    else if (isBodyParserError(err))
      httpErr = new HttpError(err.status, err.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_JSON', err.message);
    else if ((err as { code?: unknown } | null)?.code === '57014')
      httpErr = unavailable('DATABASE_TIMEOUT', 'the database took too long, try again shortly', 1, err);
    else if (isConnectionError(err))
      httpErr = unavailable('DEPENDENCY_UNAVAILABLE', 'a backing service is unavailable, try again shortly', 2, err);
    else httpErr = new HttpError(500, 'INTERNAL', 'internal error', { cause: err });
    if (httpErr.status >= 500) {
      // 503s are expected while a dependency is down (warn); anything else is a bug (error).
      (httpErr.status === 503 ? log.warn : log.error)('request failed', {
        method: req.method,
        path: req.path,
        status: httpErr.status,
        code: httpErr.code,
        err: httpErr.cause ?? httpErr,
      });
    }
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(httpErr.headers)) res.setHeader(k, v);
    if (!res.getHeader('X-Served-By')) res.setHeader('X-Served-By', 'none');
    const body: { code: string; message: string; details?: unknown } = { code: httpErr.code, message: httpErr.message };
    if (httpErr.details !== undefined) body.details = httpErr.details;
    res.status(httpErr.status).json({ error: body });
  };
}

function isBodyParserError(err: unknown): err is Error & { status: number } {
  const status = err instanceof Error ? (err as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status < 500 && 'type' in (err as object);
}
