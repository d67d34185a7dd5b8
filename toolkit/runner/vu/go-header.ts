/**
 * The request head as k6 writes it, through Go's net/http: names canonicalised (textproto's
 * CanonicalMIMEHeaderKey), one value per name (k6 uses Header.Set, so the last one given wins), and
 * the order of Request.Write: Host, User-Agent, Content-Length, then every other header sorted by name.
 * k6's transport disables compression, so no Accept-Encoding is added.
 */

/** Bytes of a header name Go accepts as a token; a name with any other byte is left as given. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const canonicalCache = new Map<string, string>();

/** `content-type` → `Content-Type`, `x-mixed-CASE` → `X-Mixed-Case`, `x_under_score` → `X_under_score`. */
export function canonicalHeaderKey(name: string): string {
  const cached = canonicalCache.get(name);
  if (cached !== undefined) return cached;
  let out = name;
  if (TOKEN.test(name)) {
    out = '';
    let upper = true;
    for (const ch of name) {
      out += upper ? ch.toUpperCase() : ch.toLowerCase();
      upper = ch === '-';
    }
  }
  if (canonicalCache.size < 1000) canonicalCache.set(name, out);
  return out;
}

/** Headers Go writes itself (Host, User-Agent, Content-Length) or drops from the map (Transfer-Encoding, Trailer). */
const WRITTEN_APART = new Set(['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer']);

/** What the head is built from: the script's headers and the ones k6 adds. */
export interface HeadParts {
  /** params.headers, in the script's order (names as given). */
  given: Record<string, string> | undefined;
  /** The default User-Agent (options.userAgent / --user-agent); '' sends none. */
  userAgent: string;
  /** Headers k6 sets when the script did not: Content-Type of a form, Authorization from the URL. */
  fallbacks: Array<[string, string]>;
  /** The jar's cookies and params.cookies ('' for none), added after a Cookie header given (Request.AddCookie). */
  cookie: string;
  /** The body's length in bytes, or null without a body. */
  bodyBytes: number | null;
  method: string;
}

/**
 * The headers in the order they go on the wire, after the request line. The Host line is included
 * only when the script set one (the transport writes the URL's otherwise, right after the request line).
 */
export function orderedHeaders(parts: HeadParts): Array<[string, string]> {
  if (parts.fallbacks.length === 0 && !parts.cookie && noneGiven(parts.given)) return defaultsOnly(parts);
  const map = new Map<string, string>();
  if (parts.userAgent) map.set('User-Agent', parts.userAgent);
  if (parts.given) for (const [k, v] of Object.entries(parts.given)) map.set(canonicalHeaderKey(k), String(v));
  for (const [k, v] of parts.fallbacks) if (!map.has(k)) map.set(k, v);
  if (parts.cookie) {
    const given = map.get('Cookie');
    map.set('Cookie', given ? `${given}; ${parts.cookie}` : parts.cookie);
  }
  const out: Array<[string, string]> = [];
  const host = map.get('Host');
  if (host !== undefined) out.push(['Host', host]);
  const ua = map.get('User-Agent');
  if (ua) out.push(['User-Agent', goValue(ua)]);
  pushLength(out, parts);
  const rest = [...map.keys()].filter((k) => !WRITTEN_APART.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const k of rest) out.push([k, goValue(map.get(k)!)]);
  return out;
}

/**
 * Go's rule (transferWriter.shouldSendContentLength): a length for any body, and 0 for an empty
 * request of any method but GET and HEAD. A Content-Length given in the params is replaced, as k6 does.
 */
function pushLength(out: Array<[string, string]>, parts: HeadParts): void {
  if (parts.bodyBytes !== null && parts.bodyBytes > 0) out.push(['Content-Length', String(parts.bodyBytes)]);
  else if (parts.method !== 'GET' && parts.method !== 'HEAD') out.push(['Content-Length', '0']);
}

function noneGiven(given: Record<string, string> | undefined): boolean {
  if (given === undefined || given === null) return true;
  for (const _ in given) return false;
  return true;
}

let lastAgent = '';
let lastAgentValue = '';

/** The common request, with no header of the script's own: what the general path gives, without its map and sort. */
function defaultsOnly(parts: HeadParts): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (parts.userAgent) {
    if (parts.userAgent !== lastAgent) {
      lastAgentValue = goValue(parts.userAgent);
      lastAgent = parts.userAgent;
    }
    out.push(['User-Agent', lastAgentValue]);
  }
  pushLength(out, parts);
  return out;
}

/** Go writes a value with surrounding blanks trimmed (Header.writeSubset); line breaks are refused before that. */
function goValue(v: string): string {
  if (v.length === 0) return v;
  const a = v.charCodeAt(0);
  const z = v.charCodeAt(v.length - 1);
  if (a !== 32 && a !== 9 && z !== 32 && z !== 9) return v;
  return v.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** A byte Go's transport refuses in a header name or value (httpguts): CR, LF and NUL. */
const INVALID_HEADER = /[\r\n\0]/;
const CLOSE_TOKEN = /\bclose\b/i;

/**
 * The request head as it goes on the wire, ending in its blank line: the request line, the Host
 * line (`hostLine`, "Host: host[:port]\r\n", unless the headers carry one), the headers in the order
 * given (orderedHeaders), a Content-Length for a body that has none, and with `close`
 * (noConnectionReuse, Go's DisableKeepAlives) a `Connection: close` line after the others unless
 * one is given. Both transports of the VUs' own sockets write this. A header that cannot be sent
 * throws an Error with code EINVAL.
 */
export function requestHead(
  method: string,
  path: string,
  headers: ReadonlyArray<readonly [string, string]>,
  hostLine: string,
  bodyBytes: number | null,
  close: boolean,
): string {
  let head = '';
  let hasHost = false;
  let hasLength = false;
  let closes = false;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    const k = h[0];
    const v = h[1];
    if (INVALID_HEADER.test(k) || INVALID_HEADER.test(v) || k.includes(':'))
      throw Object.assign(new Error(`invalid header field "${k}"`), { code: 'EINVAL' });
    if (k.length === 4 && !hasHost && k.toLowerCase() === 'host') hasHost = true;
    else if (k.length === 14 && !hasLength && k.toLowerCase() === 'content-length') hasLength = true;
    else if (close && k.length === 10 && k.toLowerCase() === 'connection' && CLOSE_TOKEN.test(v)) closes = true;
    head += `${k}: ${v}\r\n`;
  }
  head = `${method} ${path || '/'} HTTP/1.1\r\n${hasHost ? '' : hostLine}${head}`;
  // buildSpec wrote Content-Length as Go would; a body without one (a spec built elsewhere) still gets it.
  if (bodyBytes !== null && !hasLength) head += `Content-Length: ${bodyBytes}\r\n`;
  // noConnectionReuse is Go's DisableKeepAlives: its transport adds this line after the others.
  if (close && !closes) head += 'Connection: close\r\n';
  return `${head}\r\n`;
}

/** Whether the request's own headers ask the server to close the connection after it (Connection: close). */
export function asksClose(headers: ReadonlyArray<readonly [string, string]>): boolean {
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h[0].length === 10 && h[0].toLowerCase() === 'connection' && CLOSE_TOKEN.test(h[1])) return true;
  }
  return false;
}
