/**
 * The one check set every endpoint call goes through, so check names are
 * stable across scenarios (`dashboard: status 200`, …) and budgets can name them.
 */
import { check } from 'k6';
import type { RefinedResponse, ResponseType } from 'k6/http';
import { header } from './metrics.ts';

type AnyResponse = RefinedResponse<ResponseType | undefined>;

/** The status each endpoint answers with when all is well. */
const EXPECTED_STATUS: Record<string, number> = { ingest: 202, logout: 204 };

/** The status `name` should answer with (200 unless listed). */
export function expectedStatus(name: string): number {
  return EXPECTED_STATUS[name] ?? 200;
}

function hasJsonBody(res: AnyResponse): boolean {
  if (typeof res.body !== 'string' || res.body.length === 0) return false;
  try {
    return typeof JSON.parse(res.body) === 'object';
  } catch {
    return false;
  }
}

/**
 * Checks status, a JSON body and the X-Served-By header; returns true when all
 * passed. `status` overrides the endpoint's usual status.
 */
export function checkOk(res: AnyResponse, name: string, status: number = expectedStatus(name)): boolean {
  return check(
    res,
    {
      [`${name}: status ${status}`]: (r) => r.status === status,
      [`${name}: JSON body`]: (r) => status === 204 || hasJsonBody(r),
      [`${name}: X-Served-By set`]: (r) => header(r, 'X-Served-By') !== undefined,
    },
    { name },
  );
}

/** A single named check on a plain condition (body shape, read-your-writes…). */
export function checkThat(label: string, ok: boolean, name: string): boolean {
  return check(ok, { [label]: (v) => v }, { name });
}
