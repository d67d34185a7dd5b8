/** Turns k6 http call arguments into request specs, and records each response's metrics. */
// k6-core's files, not its index: this runs in VU bundles, which must not pull in the bundler.
import { Buffer } from 'node:buffer';
import { parseDuration } from '../../k6-core/options/duration.ts';
import type { HttpReply, HttpRequestSpec } from '../protocol.ts';
import { CookieJar } from './cookie-jar.ts';
import { orderedHeaders } from './go-header.ts';
import { baseTags, emit, emitHttpRow, httpTagId, ioCells, tagsVersion } from './state.ts';

/** k6 request params the runner honours. */
export interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  redirects?: number;
  responseType?: 'text' | 'binary' | 'none';
  cookies?: Record<string, string | { value: string; replace?: boolean }>;
  jar?: CookieJar | null;
  responseCallback?: ExpectedStatuses | null;
}

/** What http.expectedStatuses() returns: statuses and ranges counted as expected responses. */
export interface ExpectedStatuses {
  __expected: Array<number | { min: number; max: number }>;
}

/** k6's default User-Agent (`Grafana k6/<version>`), with the k6 release the built-in runner follows. */
export const K6_DEFAULT_USER_AGENT = 'Grafana k6/2.2.0';

export const defaults = {
  jar: new CookieJar(),
  responseCallback: { __expected: [{ min: 200, max: 399 }] } as ExpectedStatuses | null,
  maxRedirects: 10,
  userAgent: K6_DEFAULT_USER_AGENT,
  responseType: 'text' as 'text' | 'binary' | 'none',
};

/** The test-wide options that shape every request: userAgent, maxRedirects, discardResponseBodies. */
export function applyHttpOptions(options: Record<string, unknown>): void {
  if (typeof options.userAgent === 'string') defaults.userAgent = options.userAgent;
  if (typeof options.maxRedirects === 'number') defaults.maxRedirects = options.maxRedirects;
  if (options.discardResponseBodies === true) defaults.responseType = 'none';
}

/** k6 empties each VU's cookie jar when an iteration starts (unless options.noCookiesReset). */
export function resetCookieJar(): void {
  if (!defaults.jar.empty) defaults.jar.clearAll();
}

export function isExpected(status: number, cb: ExpectedStatuses | null): boolean {
  if (!cb) return true;
  return cb.__expected.some((e) => (typeof e === 'number' ? e === status : status >= e.min && status <= e.max));
}

/** Encodes a k6 body: strings as-is, objects as a form, binary as bytes. */
export function encodeBody(body: unknown): { body: string | Uint8Array | null; form: boolean } {
  if (body === null || body === undefined) return { body: null, form: false };
  if (typeof body === 'string') return { body, form: false };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body), form: false };
  if (ArrayBuffer.isView(body))
    return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), form: false };
  if (typeof body === 'object') {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) form.append(k, String(v));
    return { body: form.toString(), form: true };
  }
  return { body: String(body), form: false };
}

/** Builds the wire request for one hop, adding the jar's cookies and default headers. */
interface UrlParts {
  href: string;
  origin: string;
  path: string;
  auth: string | null;
}

// URL getters are not free; the same URL objects come back for every request (see parseUrl).
const partsCache = new WeakMap<URL, UrlParts>();

function urlParts(url: URL): UrlParts {
  let parts = partsCache.get(url);
  if (!parts) {
    const auth = url.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : null;
    parts = { href: url.href, origin: url.origin, path: url.pathname + url.search, auth };
    partsCache.set(url, parts);
  }
  return parts;
}

export function buildSpec(
  method: string,
  url: URL,
  body: string | Uint8Array | null,
  form: boolean,
  params: Params,
): HttpRequestSpec {
  const parts = urlParts(url);
  const fallbacks: Array<[string, string]> = [];
  if (form) fallbacks.push(['Content-Type', 'application/x-www-form-urlencoded']);
  // Credentials in the URL mean basic auth, as in k6; they never go on the wire in the URL.
  if (parts.auth) fallbacks.push(['Authorization', parts.auth]);
  const headers = orderedHeaders({
    given: params.headers,
    userAgent: defaults.userAgent,
    fallbacks,
    cookie: cookieHeader(url, params),
    bodyBytes: body === null ? null : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    method,
  });
  return {
    method,
    url: parts.href,
    origin: parts.origin,
    path: parts.path,
    headers,
    body,
    timeoutMs: params.timeout === undefined ? 60_000 : parseDuration(params.timeout, 'params.timeout', 'ms'),
    responseType: params.responseType ?? defaults.responseType,
  };
}

function cookieHeader(url: URL, params: Params): string {
  const jar = params.jar === undefined ? defaults.jar : params.jar;
  if ((!jar || jar.empty) && !params.cookies) return '';
  const merged: Record<string, string[]> = jar ? jar.cookiesForURL(url) : {};
  for (const [name, c] of Object.entries(params.cookies ?? {})) {
    const value = typeof c === 'string' ? c : c.value;
    const replace = typeof c === 'object' && c.replace === true;
    merged[name] = replace || !merged[name] ? [value] : [...merged[name]!, value];
  }
  return Object.entries(merged)
    .flatMap(([n, vs]) => vs.map((v) => `${n}=${v}`))
    .join('; ');
}

/** Emits the http_req_* samples k6 records for one request, tagged as k6 tags them. */
export function recordHttp(spec: HttpRequestSpec, reply: HttpReply, params: Params, nameTag: string): void {
  const expected = isExpected(
    reply.status,
    params.responseCallback === undefined ? defaults.responseCallback : params.responseCallback,
  );
  const userTags = params.tags ? JSON.stringify(params.tags) : '';
  const key = `${tagsVersion}\u0001${nameTag}\u0001${spec.method}\u0001${spec.url}\u0001${reply.status}\u0001${expected}\u0001${reply.errorCode}\u0001${reply.error}\u0001${userTags}`;
  const id = httpTagId(key, () => {
    const tags: Record<string, string> = {
      ...baseTags(),
      name: nameTag,
      method: spec.method,
      url: spec.url,
      status: String(reply.status),
      proto: reply.status ? 'HTTP/1.1' : '',
      expected_response: String(expected),
      ...(params.tags ?? {}),
    };
    if (reply.errorCode) {
      tags.error_code = String(reply.errorCode);
      tags.error = reply.error;
    }
    return tags;
  });
  const t = reply.timings;
  const time = reply.startedAt + t.blocked + t.duration;
  emitHttpRow([
    id,
    time,
    t.duration,
    t.blocked,
    t.connecting,
    t.tls_handshaking,
    t.sending,
    t.waiting,
    t.receiving,
    expected ? 0 : 1,
  ]);
  // Bytes written and read since the last emitIoSamples (k6's dialer counts the same way, per VU).
  ioCells[0] = ioCells[0]! + reply.bytesSent;
  ioCells[1] = ioCells[1]! + reply.bytesReceived;
}

/**
 * data_sent and data_received, once per call of a script function (an iteration, interrupted or not,
 * setup, teardown), with the VU's tags as it ends and 0 when nothing went out, as k6's VU does after
 * each run of a function (Dialer.IOSamples).
 */
export function emitIoSamples(): void {
  const tags = baseTags();
  const time = Date.now();
  emit('data_sent', ioCells[0]!, tags, time);
  emit('data_received', ioCells[1]!, tags, time);
  ioCells[0] = 0;
  ioCells[1] = 0;
}
