/** k6's http Response object, built from a transport's reply (the VU's own sockets or the shared pool). */
import type { HttpReply, HttpTimings } from '../protocol.ts';
import { clickLink, responseHtml, submitForm } from './html-forms.ts';
import type { Selection } from './html-selection.ts';

/** Go's CanonicalMIMEHeaderKey: "content-type" → "Content-Type", as k6 shows response headers. */
export function canonicalHeader(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join('-');
}

/** "name: value" lines (HttpReply.headers) as pairs. */
export function headerPairs(raw: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of raw.split('\n')) {
    const colon = line.indexOf(': ');
    if (colon > 0) out.push([line.slice(0, colon), line.slice(colon + 2)]);
  }
  return out;
}

/** Every value of one header (name in lower case); cheap when the header is absent. */
export function headerValues(raw: string, lowerName: string): string[] {
  if (!raw.toLowerCase().includes(`${lowerName}: `)) return [];
  return headerPairs(raw)
    .filter(([k]) => k.toLowerCase() === lowerName)
    .map(([, v]) => v);
}

/** Resolves a gjson-like path ("user.id", "items.0", "items.#") against parsed JSON. */
export function selectJson(value: unknown, selector: string): unknown {
  let cur: unknown = value;
  for (const part of selector.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (part === '#' && Array.isArray(cur)) return cur.length;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The request as k6 exposes it on response.request. */
export interface ResponseRequest {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string;
  cookies: Record<string, Array<{ name: string; value: string; replace: boolean }>>;
}

/** One Set-Cookie of a response, as k6's response.cookies lists them. */
export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

function parseSetCookie(line: string): ResponseCookie | null {
  const [pair = '', ...attrs] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const c: ResponseCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    domain: '',
    path: '',
    http_only: false,
    secure: false,
    max_age: 0,
    expires: 0,
  };
  for (const attr of attrs) {
    const [k = '', v = ''] = attr.split('=').map((s) => s.trim());
    const key = k.toLowerCase();
    if (key === 'domain') c.domain = v;
    else if (key === 'path') c.path = v;
    else if (key === 'httponly') c.http_only = true;
    else if (key === 'secure') c.secure = true;
    else if (key === 'max-age') c.max_age = Number(v) || 0;
    else if (key === 'expires') c.expires = Date.parse(v) || 0;
  }
  return c;
}

export class Response {
  status: number;
  status_text: string;
  body: string | ArrayBuffer | null;
  private rawHeaders: string;
  private headerMap: Record<string, string> | null = null;
  timings: HttpTimings;
  error: string;
  error_code: number;
  url: string;
  proto: string;
  remote_ip = '';
  remote_port = 0;
  tls_version = '';
  ocsp = {};
  private cookieMap: Record<string, ResponseCookie[]> | null = null;
  request: ResponseRequest;
  private parsed: { ok: true; value: unknown } | null = null;

  constructor(reply: HttpReply, url: string, request: ResponseRequest) {
    this.status = reply.status;
    this.status_text = reply.status ? `${reply.status} ${reply.statusText}` : '';
    this.body = reply.body;
    this.rawHeaders = reply.headers;
    this.timings = reply.timings;
    this.error = reply.error;
    this.error_code = reply.errorCode;
    this.url = url;
    this.proto = reply.status ? 'HTTP/1.1' : '';
    this.request = request;
  }

  /** Response headers with canonical names, built on first use (most scripts never read them). */
  get headers(): Record<string, string> {
    if (this.headerMap) return this.headerMap;
    const map: Record<string, string> = {};
    for (const [k, v] of headerPairs(this.rawHeaders)) {
      const key = canonicalHeader(k);
      map[key] = map[key] === undefined ? v : `${map[key]}, ${v}`;
    }
    this.headerMap = map;
    return map;
  }

  /** Cookies the response set, by name (parsed on first use). */
  get cookies(): Record<string, ResponseCookie[]> {
    if (this.cookieMap) return this.cookieMap;
    const map: Record<string, ResponseCookie[]> = {};
    for (const v of headerValues(this.rawHeaders, 'set-cookie')) {
      const c = parseSetCookie(v);
      if (c) (map[c.name] ??= []).push(c);
    }
    this.cookieMap = map;
    return map;
  }

  /** Parses the body as JSON (once) and optionally selects a path, like k6's gjson selectors. */
  json(selector?: string): unknown {
    if (!this.parsed) {
      if (typeof this.body !== 'string')
        throw new Error('cannot parse the response body as JSON: no text body (check responseType)');
      this.parsed = { ok: true, value: JSON.parse(this.body) };
    }
    return selector === undefined ? this.parsed.value : selectJson(this.parsed.value, selector);
  }

  /** The body as a k6/html Selection (html-forms.ts). */
  html(selector?: string): Selection {
    return responseHtml(this, selector);
  }

  submitForm(args?: Parameters<typeof submitForm>[1]): Response {
    return submitForm(this, args);
  }

  clickLink(args?: Parameters<typeof clickLink>[1]): Response {
    return clickLink(this, args);
  }
}
