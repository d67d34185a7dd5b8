/**
 * Bounds on one response read by a VU's own sockets (the vu-socket addon):
 * its head, 10 MiB by default as in Go's (and so k6's) HTTP client, and its
 * body, 64 MiB by default. A response past either fails like a network error
 * (status 0, error_code 1000) with a message naming the setting that raises it.
 * PERFKIT_MAX_RESPONSE_HEADER_BYTES / PERFKIT_MAX_RESPONSE_BODY_BYTES set them.
 */
import { usageError } from '../errors.ts';

export interface ResponseLimits {
  headBytes: number;
  bodyBytes: number;
}

export const DEFAULT_RESPONSE_LIMITS: ResponseLimits = { headBytes: 10 * 1024 * 1024, bodyBytes: 64 * 1024 * 1024 };

/** The most either limit may be (1 TiB): the addon's offset sums then never wrap. */
const MAX_LIMIT = 2 ** 40;

function limit(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
    throw usageError(
      `${name}=${value}: expected a whole number of bytes from 1 to ${MAX_LIMIT}`,
      `unset ${name} or set e.g. ${name}=${fallback}`,
    );
  return n;
}

/** The limits a run's VUs use, from its environment record (never the process's own). */
export function responseLimits(env: Record<string, string | undefined>): ResponseLimits {
  return {
    headBytes: limit(env, 'PERFKIT_MAX_RESPONSE_HEADER_BYTES', DEFAULT_RESPONSE_LIMITS.headBytes),
    bodyBytes: limit(env, 'PERFKIT_MAX_RESPONSE_BODY_BYTES', DEFAULT_RESPONSE_LIMITS.bodyBytes),
  };
}
