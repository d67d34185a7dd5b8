/**
 * The shared model's k6/http: the same requests, redirects, cookies and samples as vu/k6-http.ts
 * (its steps are reused), with each hop awaited on the host thread's event loop.
 */
import { CookieJar, cookieJar, expectedStatuses, requestSteps, setResponseCallback } from '../../vu/k6-http.ts';
import * as constants from '../../vu/k6-http-constants.ts';
import { buildSpec, type Params } from '../../vu/http-request.ts';
import type { Response } from '../../vu/http-response.ts';
import { callHttp } from './bridge.ts';

const { start, settle, toResponse, toPending } = requestSteps;
type Pending = ReturnType<typeof start>;
type BatchItem = Parameters<typeof toPending>[0];

async function runOne(first: Pending): Promise<Response> {
  let p = first;
  for (;;) {
    const spec = buildSpec(p.method, p.url, p.body, p.form, p.params);
    const reply = (await callHttp([spec]))[0]!;
    const next = settle(p, spec, reply);
    if (!next) return toResponse(p, spec, reply);
    p = next;
  }
}

export function request(method: string, url: unknown, body?: unknown, params?: Params | null): Promise<Response> {
  try {
    return runOne(start(method, url, body, params));
  } catch (err) {
    return Promise.reject(err);
  }
}

export const get = (url: unknown, params?: Params | null): Promise<Response> => request('GET', url, null, params);
export const head = (url: unknown, params?: Params | null): Promise<Response> => request('HEAD', url, null, params);
export const post = (url: unknown, body?: unknown, params?: Params | null): Promise<Response> =>
  request('POST', url, body, params);
export const put = (url: unknown, body?: unknown, params?: Params | null): Promise<Response> =>
  request('PUT', url, body, params);
export const patch = (url: unknown, body?: unknown, params?: Params | null): Promise<Response> =>
  request('PATCH', url, body, params);
export const del = (url: unknown, body?: unknown, params?: Params | null): Promise<Response> =>
  request('DELETE', url, body, params);
export const options = (url: unknown, body?: unknown, params?: Params | null): Promise<Response> =>
  request('OPTIONS', url, body, params);

/** Sends requests in parallel on the VU's pool; responses in the order (or under the keys) given. */
export async function batch(
  reqs: BatchItem[] | Record<string, BatchItem>,
): Promise<Response[] | Record<string, Response>> {
  const keys = Array.isArray(reqs) ? null : Object.keys(reqs);
  const items = Array.isArray(reqs) ? reqs : Object.values(reqs);
  const pendings = items.map(toPending);
  const specs = pendings.map((p) => buildSpec(p.method, p.url, p.body, p.form, p.params));
  const replies = await callHttp(specs);
  const responses: Response[] = [];
  for (let i = 0; i < pendings.length; i++) {
    const p = pendings[i]!;
    const next = settle(p, specs[i]!, replies[i]!);
    responses.push(next ? await runOne(next) : toResponse(p, specs[i]!, replies[i]!));
  }
  if (!keys) return responses;
  return Object.fromEntries(keys.map((k, i) => [k, responses[i]!]));
}

export { CookieJar, cookieJar, expectedStatuses, setResponseCallback };
export * from '../../vu/k6-http-constants.ts';

export default {
  ...constants,
  request,
  get,
  head,
  post,
  put,
  patch,
  del,
  options,
  batch,
  expectedStatuses,
  setResponseCallback,
  cookieJar,
  CookieJar,
};
