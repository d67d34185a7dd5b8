/**
 * The `k6/http` module: synchronous requests (redirects, cookies, batches) over bridge.ts, which runs a
 * plain-http request on the VU's own sockets and the rest on the main thread's shared pool.
 */
import type { HttpReply, HttpRequestSpec } from '../protocol.ts';
import { callHttp } from './bridge.ts';
import * as constants from './k6-http-constants.ts';
import { CookieJar } from './cookie-jar.ts';
import { buildSpec, defaults, encodeBody, recordHttp, type ExpectedStatuses, type Params } from './http-request.ts';
import { headerValues, Response } from './http-response.ts';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface Pending {
  method: string;
  url: URL;
  body: string | Uint8Array | null;
  form: boolean;
  params: Params;
  nameTag: string;
  hopsLeft: number;
}

// Load scripts hit the same few URLs over and over: parse each once (URL objects are never mutated here).
const parsedUrls = new Map<string, URL>();

function parseUrl(href: string): URL {
  let parsed = parsedUrls.get(href);
  if (parsed) return parsed;
  try {
    parsed = new URL(href);
  } catch {
    throw new Error(`invalid URL "${href}": k6 needs an absolute URL such as http://127.0.0.1:3000/api`);
  }
  if (parsedUrls.size >= 1000) parsedUrls.clear();
  parsedUrls.set(href, parsed);
  return parsed;
}

function start(method: string, url: unknown, body: unknown, params: Params | null | undefined): Pending {
  const p: Params = params ?? {};
  const href = String(url);
  const parsed = parseUrl(href);
  const enc = encodeBody(body);
  return {
    method: method.toUpperCase(),
    url: parsed,
    body: enc.body,
    form: enc.form,
    params: p,
    nameTag: p.tags?.name ?? href,
    hopsLeft: p.redirects ?? defaults.maxRedirects,
  };
}

function toResponse(p: Pending, spec: HttpRequestSpec, reply: HttpReply): Response {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of spec.headers) (headers[k] ??= []).push(v);
  return new Response(reply, spec.url, {
    method: spec.method,
    url: spec.url,
    headers,
    body: typeof spec.body === 'string' ? spec.body : '',
    cookies: {},
  });
}

/** Records one hop and returns the next hop when it is a redirect to follow, else null. */
function settle(p: Pending, spec: HttpRequestSpec, reply: HttpReply): Pending | null {
  recordHttp(spec, reply, p.params, p.nameTag);
  const jar = p.params.jar === undefined ? defaults.jar : p.params.jar;
  const setCookies = jar ? headerValues(reply.headers, 'set-cookie') : [];
  if (jar && setCookies.length > 0) jar.storeFromResponse(p.url, setCookies);
  if (!REDIRECTS.has(reply.status) || p.hopsLeft <= 0) return null;
  const location = headerValues(reply.headers, 'location')[0];
  if (!location) return null;
  const keepMethod = reply.status === 307 || reply.status === 308 || p.method === 'GET' || p.method === 'HEAD';
  const next = new URL(location, p.url);
  return {
    ...p,
    url: next,
    method: keepMethod ? p.method : 'GET',
    body: keepMethod ? p.body : null,
    nameTag: p.params.tags?.name ?? next.href,
    hopsLeft: p.hopsLeft - 1,
  };
}

function runOne(first: Pending): Response {
  let p = first;
  for (;;) {
    const spec = buildSpec(p.method, p.url, p.body, p.form, p.params);
    const reply = callHttp([spec])[0]!;
    const next = settle(p, spec, reply);
    if (!next) return toResponse(p, spec, reply);
    p = next;
  }
}

export function request(method: string, url: unknown, body?: unknown, params?: Params | null): Response {
  return runOne(start(method, url, body, params));
}

export const get = (url: unknown, params?: Params | null): Response => request('GET', url, null, params);
export const head = (url: unknown, params?: Params | null): Response => request('HEAD', url, null, params);
export const post = (url: unknown, body?: unknown, params?: Params | null): Response =>
  request('POST', url, body, params);
export const put = (url: unknown, body?: unknown, params?: Params | null): Response =>
  request('PUT', url, body, params);
export const patch = (url: unknown, body?: unknown, params?: Params | null): Response =>
  request('PATCH', url, body, params);
export const del = (url: unknown, body?: unknown, params?: Params | null): Response =>
  request('DELETE', url, body, params);
export const options = (url: unknown, body?: unknown, params?: Params | null): Response =>
  request('OPTIONS', url, body, params);

type BatchItem =
  string | [string, unknown, unknown?, Params?] | { method?: string; url: unknown; body?: unknown; params?: Params };

function toPending(item: BatchItem): Pending {
  if (typeof item === 'string') return start('GET', item, null, null);
  if (Array.isArray(item)) return start(item[0], item[1], item[2], item[3]);
  return start(item.method ?? 'GET', item.url, item.body, item.params);
}

/** k6's promise flavour; the request itself still runs synchronously in this VU. */
export function asyncRequest(method: string, url: unknown, body?: unknown, params?: Params | null): Promise<Response> {
  try {
    return Promise.resolve(request(method, url, body, params));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Sends requests in parallel; responses come back in the order (or under the keys) given. */
export function batch(reqs: BatchItem[] | Record<string, BatchItem>): Response[] | Record<string, Response> {
  const keys = Array.isArray(reqs) ? null : Object.keys(reqs);
  const items = Array.isArray(reqs) ? reqs : Object.values(reqs);
  const pendings = items.map(toPending);
  const specs = pendings.map((p) => buildSpec(p.method, p.url, p.body, p.form, p.params));
  const replies = callHttp(specs);
  const responses = pendings.map((p, i) => {
    const next = settle(p, specs[i]!, replies[i]!);
    return next ? runOne(next) : toResponse(p, specs[i]!, replies[i]!);
  });
  if (!keys) return responses;
  return Object.fromEntries(keys.map((k, i) => [k, responses[i]!]));
}

/** The steps of a request around the transport, for the shared VU model's async http (runner/shared/vu). */
export const requestSteps = { start, settle, toResponse, toPending };

/** http.expectedStatuses(200, {min: 300, max: 399}) for setResponseCallback / params.responseCallback. */
export function expectedStatuses(...list: Array<number | { min: number; max: number }>): ExpectedStatuses {
  return { __expected: list };
}

export function setResponseCallback(cb: ExpectedStatuses | null): void {
  defaults.responseCallback = cb;
}

/** The VU's cookie jar, as k6's http.cookieJar(). */
export function cookieJar(): JarApi {
  return jarApi;
}

interface JarApi {
  set(url: string, name: string, value: string): void;
  cookiesForURL(url: string): Record<string, string[]>;
  clear(url: string): void;
  delete(url: string, name: string): void;
}

const jarApi: JarApi = {
  set: (url, name, value) => defaults.jar.set(new URL(url).hostname, { name, value, path: '/', expires: 0 }),
  cookiesForURL: (url) => defaults.jar.cookiesForURL(new URL(url)),
  clear: (url) => defaults.jar.clear(new URL(url).hostname),
  delete: (url, name) => defaults.jar.delete(new URL(url).hostname, name),
};

/** http.CookieJar: a fresh jar to pass as params.jar. */
export { CookieJar };

export * from './k6-http-constants.ts';

export default {
  ...constants,
  request,
  asyncRequest,
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
