/**
 * An HTTP/1.1 response parser on Buffers, fed the chunks a socket reads: the head (informational 1xx
 * answers skipped), then the body by its framing (none for HEAD, 204, 304; Content-Length; chunked,
 * trailers included; or to the end of the stream). It counts every byte it consumes, as k6 counts
 * data_received, and bounds the head and the body (responseLimits). The same rules as the vu-socket
 * addon's parser (native/vu-http.h), in plain JavaScript: no regular expression, and in the common
 * case (a whole response in one chunk) one string for the head and one for the body.
 */
import { Buffer } from 'node:buffer';

export interface ParseLimits {
  headBytes: number;
  bodyBytes: number;
}

/** feed() / end() results below 0. */
export const PARSE = { more: 0, done: 1, proto: -1, headTooBig: -2, bodyTooBig: -3, eof: -4 } as const;

const enum Phase {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  ToClose,
  Done,
}

const CR = 13;
const LF = 10;
/** The longest chunk-size line accepted (size, extensions). */
const CHUNK_LINE_BYTES = 4096;

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

export class ResponseParser {
  status = 0;
  statusText = '';
  /** "Name: value" lines, each ending in "\n" (HttpReply.headers). */
  headers = '';
  keepAlive = false;
  /** Bytes consumed for this response so far: every head, the framing and the body. */
  bytesRead = 0;
  private phase = Phase.Done;
  private noBody = false;
  /** Bytes not consumed yet (a head, a chunk-size line or trailers cut by a read). */
  private pending: Buffer | null = null;
  /**
   * The buffer `pending` starts, with room after it: a head that comes in many reads grows in place
   * (doubling), not by a copy of all of it per read. Never written where a body part points.
   */
  private store: Buffer | null = null;
  /** Where in `pending` the search for the head's end resumes. */
  private scan = 0;
  private remaining = 0;
  private bodyLen = 0;
  private readonly parts: Buffer[] = [];
  private collect = true;
  private chunked = false;
  private contentLength = -1;
  private trailerBytes = 0;

  constructor(private readonly limits: ParseLimits) {}

  /** Ready for the response to a new request (`noBody`: a HEAD request; `collect`: the body is wanted). */
  reset(noBody: boolean, collect: boolean): void {
    this.noBody = noBody;
    this.collect = collect;
    this.phase = Phase.Head;
    this.pending = null;
    this.store = null;
    this.scan = 0;
    this.bytesRead = 0;
    this.bodyLen = 0;
    this.parts.length = 0;
    this.status = 0;
    this.statusText = '';
    this.headers = '';
  }

  /** Nothing of a response read yet (a kept-alive connection that fails now was stale). */
  nothingRead(): boolean {
    return this.bytesRead === 0 && this.pending === null;
  }

  /** Consumes one chunk: PARSE.more, PARSE.done, or an error below 0. Bytes past the response clear keepAlive. */
  feed(chunk: Buffer): number {
    let buf = chunk;
    const pending = this.pending;
    if (pending !== null) {
      const had = pending.length;
      const need = had + chunk.length;
      let store = this.store;
      if (store === null || !startsAt(pending, store) || need > store.length) {
        store = Buffer.allocUnsafe(this.phase === Phase.Head ? need * 2 : need);
        pending.copy(store, 0);
        this.store = store;
      }
      chunk.copy(store, had);
      buf = store.subarray(0, need);
      this.pending = null;
    }
    let pos = 0;
    const len = buf.length;
    for (;;) {
      switch (this.phase) {
        case Phase.Head: {
          const end = buf.indexOf('\r\n\r\n', this.scan > pos ? this.scan : pos, 'latin1');
          if (end < 0) {
            if (len - pos > this.limits.headBytes) return PARSE.headTooBig;
            this.keep(buf, pos);
            this.scan = len - pos > 3 ? len - pos - 3 : 0;
            return PARSE.more;
          }
          if (end - pos > this.limits.headBytes) return PARSE.headTooBig;
          const rc = this.head(buf, pos, end);
          if (rc < 0) return rc;
          this.bytesRead += end + 4 - pos;
          pos = end + 4;
          this.scan = pos;
          const s = this.status;
          // Informational answers (100 Continue, 103 Early Hints) come before the real one.
          if (s < 200 && s !== 101) {
            if (this.bytesRead > this.limits.headBytes) return PARSE.headTooBig;
            continue;
          }
          if (this.noBody || s === 204 || s === 304 || s < 200) {
            if (s === 101) this.keepAlive = false;
            this.phase = Phase.Done;
          } else if (this.chunked) this.phase = Phase.ChunkSize;
          else if (this.contentLength >= 0) {
            if (this.contentLength > this.limits.bodyBytes) return PARSE.bodyTooBig;
            this.remaining = this.contentLength;
            this.phase = this.remaining === 0 ? Phase.Done : Phase.Length;
          } else {
            this.phase = Phase.ToClose;
            this.keepAlive = false;
          }
          break;
        }
        case Phase.Length:
        case Phase.ChunkData: {
          const n = len - pos < this.remaining ? len - pos : this.remaining;
          if (n > 0) {
            if (this.collect) this.parts.push(pos === 0 && n === len ? buf : buf.subarray(pos, pos + n));
            pos += n;
            this.remaining -= n;
            this.bytesRead += n;
            this.bodyLen += n;
          }
          if (this.remaining > 0) return PARSE.more;
          this.phase = this.phase === Phase.Length ? Phase.Done : Phase.ChunkEnd;
          break;
        }
        case Phase.ChunkEnd: {
          if (len - pos < 2) {
            this.keep(buf, pos);
            return PARSE.more;
          }
          if (buf[pos] !== CR || buf[pos + 1] !== LF) return PARSE.proto;
          pos += 2;
          this.bytesRead += 2;
          this.phase = Phase.ChunkSize;
          break;
        }
        case Phase.ChunkSize: {
          const eol = this.lineEnd(buf, pos);
          if (eol < 0) {
            if (len - pos > CHUNK_LINE_BYTES) return PARSE.headTooBig;
            this.keep(buf, pos);
            return PARSE.more;
          }
          let size = 0;
          let i = pos;
          for (; i < eol; i++) {
            const c = buf[i]!;
            const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
            if (d < 0) break;
            size = size * 16 + d;
            if (size > this.limits.bodyBytes) return PARSE.bodyTooBig;
          }
          if (i === pos) return PARSE.proto;
          const c = buf[i]!;
          if (i < eol && c !== 59 && !isBlank(c)) return PARSE.proto; // ';' starts an extension
          if (size > this.limits.bodyBytes - this.bodyLen) return PARSE.bodyTooBig;
          this.bytesRead += eol + 2 - pos;
          pos = eol + 2;
          if (size === 0) {
            this.phase = Phase.Trailers;
            this.trailerBytes = 0;
          } else {
            this.remaining = size;
            this.phase = Phase.ChunkData;
          }
          break;
        }
        case Phase.Trailers: {
          const eol = this.lineEnd(buf, pos);
          if (eol < 0) {
            if (this.trailerBytes + len - pos > this.limits.headBytes) return PARSE.headTooBig;
            this.keep(buf, pos);
            return PARSE.more;
          }
          this.bytesRead += eol + 2 - pos;
          this.trailerBytes += eol + 2 - pos;
          const empty = eol === pos;
          pos = eol + 2;
          if (empty) this.phase = Phase.Done;
          else if (this.trailerBytes > this.limits.headBytes) return PARSE.headTooBig;
          break;
        }
        case Phase.ToClose: {
          const n = len - pos;
          if (n > 0) {
            if (this.collect) this.parts.push(pos === 0 ? buf : buf.subarray(pos));
            this.bytesRead += n;
            this.bodyLen += n;
            if (this.bodyLen > this.limits.bodyBytes) return PARSE.bodyTooBig;
          }
          return PARSE.more;
        }
        case Phase.Done: {
          // Bytes past this response would mean a confused stream: never reuse it.
          if (pos < len) this.keepAlive = false;
          return PARSE.done;
        }
      }
    }
  }

  /** The stream ended: PARSE.done for a body that runs to the end of the stream, else PARSE.eof. */
  end(): number {
    if (this.phase === Phase.ToClose) {
      this.phase = Phase.Done;
      return PARSE.done;
    }
    return this.phase === Phase.Done ? PARSE.done : PARSE.eof;
  }

  /** The error for a feed() / end() result below 0, worded as the vu-socket transport words it. */
  error(rc: number): Error & { code: string } {
    switch (rc) {
      case PARSE.headTooBig:
        return netError(
          'EMSGSIZE',
          `net/http: server response headers exceeded ${this.limits.headBytes} bytes; aborted (PERFKIT_MAX_RESPONSE_HEADER_BYTES raises the limit)`,
        );
      case PARSE.bodyTooBig:
        return netError(
          'EFBIG',
          `server response body exceeded ${this.limits.bodyBytes} bytes; aborted (PERFKIT_MAX_RESPONSE_BODY_BYTES raises the limit)`,
        );
      case PARSE.proto:
        return netError('EPROTO', 'read EPROTO');
      default:
        return netError('ECONNRESET', 'read ECONNRESET');
    }
  }

  /** The body as the script asked for it: text (UTF-8), binary (an ArrayBuffer of its own) or none. */
  body(type: 'text' | 'binary' | 'none'): string | ArrayBuffer | null {
    const parts = this.parts;
    if (type === 'none') {
      parts.length = 0;
      return null;
    }
    let body: string | ArrayBuffer;
    if (type === 'text') {
      body =
        parts.length === 1
          ? parts[0]!.toString('utf8')
          : parts.length === 0
            ? ''
            : Buffer.concat(parts).toString('utf8');
    } else {
      const out = new Uint8Array(this.bodyLen);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      body = out.buffer;
    }
    parts.length = 0;
    return body;
  }

  private keep(buf: Buffer, pos: number): void {
    // Nothing consumed from the store yet (so no body part points into it): kept as it is.
    if (pos === 0 && this.store !== null && startsAt(buf, this.store)) {
      this.pending = buf;
      return;
    }
    // Else a copy: the rest of the chunk (often most of it) need not stay alive with it.
    const rest = buf.length - pos;
    const store = Buffer.allocUnsafe(this.phase === Phase.Head ? Math.max(rest * 2, 1024) : rest);
    buf.copy(store, 0, pos);
    this.store = store;
    this.pending = store.subarray(0, rest);
  }

  /** Where the CRLF ending the line at pos is, or -1 while it has not come. */
  private lineEnd(buf: Buffer, pos: number): number {
    for (let i = buf.indexOf(CR, pos); i >= 0; i = buf.indexOf(CR, i + 1)) if (buf[i + 1] === LF) return i;
    return -1;
  }

  /** Parses the head in buf[start, end) (end: where its blank line's CRLF begins). */
  private head(buf: Buffer, start: number, end: number): number {
    // "HTTP/1.x NNN"
    if (
      end - start < 12 ||
      buf[start] !== 72 ||
      buf[start + 1] !== 84 ||
      buf[start + 2] !== 84 ||
      buf[start + 3] !== 80 ||
      buf[start + 4] !== 47 ||
      buf[start + 5] !== 49 ||
      buf[start + 6] !== 46
    )
      return PARSE.proto;
    let status = 0;
    for (let i = start + 9; i < start + 12; i++) {
      const c = buf[i]!;
      if (c < 48 || c > 57) return PARSE.proto;
      status = status * 10 + c - 48;
    }
    if (status < 100) return PARSE.proto;
    this.status = status;
    this.keepAlive = buf[start + 7] === 49;
    this.chunked = false;
    this.contentLength = -1;
    const s = buf.toString('latin1', start, end);
    let eol = s.indexOf('\r\n');
    if (eol < 0) eol = s.length;
    this.statusText = s.slice(eol < 13 ? eol : 13, eol);
    // Lines as "Name: value" with nothing to trim are copied as they are; any other goes through rebuild().
    let plain = true;
    for (let line = eol + 2; line < s.length;) {
      let next = s.indexOf('\r\n', line);
      if (next < 0) next = s.length;
      const colon = s.indexOf(':', line);
      if (colon <= line || colon >= next) plain = false;
      else {
        let v = colon + 1;
        if (v >= next || s.charCodeAt(v) !== 32 || (v + 1 < next && isBlank(s.charCodeAt(v + 1)))) plain = false;
        while (v < next && isBlank(s.charCodeAt(v))) v++;
        let ve = next;
        while (ve > v && isBlank(s.charCodeAt(ve - 1))) ve--;
        if (ve !== next) plain = false;
        const n = colon - line;
        if ((n === 14 || n === 17 || n === 10) && !this.special(s, line, colon, v, ve)) return PARSE.proto;
      }
      line = next + 2;
    }
    if (eol + 2 >= s.length) this.headers = '';
    else if (plain) this.headers = `${s.slice(eol + 2).replaceAll('\r\n', '\n')}\n`;
    else this.headers = rebuild(s, eol + 2);
    return 0;
  }

  /** Content-Length, Transfer-Encoding and Connection, whose values frame the body; false for a bad length. */
  private special(s: string, line: number, colon: number, v: number, ve: number): boolean {
    const name = s.slice(line, colon).toLowerCase();
    if (name === 'content-length') {
      let n = 0;
      let i = v;
      for (; i < ve; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) break;
        n = n * 10 + c - 48;
        if (n > this.limits.bodyBytes) {
          // Past the limit whatever digits follow: the body is refused (PARSE.bodyTooBig).
          n = this.limits.bodyBytes + 1;
          break;
        }
      }
      if (i === v) return false;
      this.contentLength = n;
    } else if (name === 'transfer-encoding') {
      this.chunked = s.slice(v, ve).toLowerCase().includes('chunked');
    } else if (name === 'connection') {
      const value = s.slice(v, ve).toLowerCase();
      if (value.includes('close')) this.keepAlive = false;
      else if (value.includes('keep-alive')) this.keepAlive = true;
    }
    return true;
  }
}

/** The header lines from `from` on as "Name: value\n", blanks around values trimmed, lines without a name dropped. */
function rebuild(s: string, from: number): string {
  let out = '';
  for (let line = from; line < s.length;) {
    let next = s.indexOf('\r\n', line);
    if (next < 0) next = s.length;
    const colon = s.indexOf(':', line);
    if (colon > line && colon < next) {
      let v = colon + 1;
      while (v < next && isBlank(s.charCodeAt(v))) v++;
      let ve = next;
      while (ve > v && isBlank(s.charCodeAt(ve - 1))) ve--;
      out += `${s.slice(line, colon)}: ${s.slice(v, ve)}\n`;
    }
    line = next + 2;
  }
  return out;
}

/** Whether `view` begins where `store` does (a view of the store's first bytes). */
function startsAt(view: Buffer, store: Buffer): boolean {
  return view.buffer === store.buffer && view.byteOffset === store.byteOffset;
}

function netError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
