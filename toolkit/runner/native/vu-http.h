/*
 * The HTTP/1.1 response parser of the VU socket addon, apart from sockets so
 * that the fuzz harness (fuzz/vu-http-fuzz.c) drives the very same code.
 *
 * The includer defines, before including this file:
 *   static int read_more(int fd, size_t *len, double deadline, int eof_ok);
 *     reads at least one more byte into ex.raw at *len (growing it):
 *     0 ok, 1 end of stream when eof_ok, -errno otherwise;
 *   static double now_ms(void);
 *
 * Every size that comes from the peer is bounded: the head by ex.max_head
 * (-EMSGSIZE past it), the body, chunked or not, by ex.max_body (-EFBIG past
 * it), and every sum of sizes is checked before it is formed, so a hostile or
 * broken server can neither overflow size_t nor make a VU allocate more than
 * the limits.
 */
#ifndef VU_HTTP_H
#define VU_HTTP_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Default limits: Go's (and so k6's) default for response heads, and a body cap per VU. */
#define VU_DEFAULT_MAX_HEAD ((size_t)10 << 20)
#define VU_DEFAULT_MAX_BODY ((size_t)64 << 20)

/* Buffers and registrations of one environment, kept across calls. */
typedef struct {
  double *out;
  int32_t *interrupt;
  unsigned char *raw; /* the response as read (chunked bodies are decoded in place) */
  size_t raw_cap;
  char *head; /* "status text\nName: value\n..." */
  size_t head_cap;
  size_t body_start, body_end;
  size_t max_head, max_body; /* 0: the defaults */
} Exchange;

/* One per thread: each VU thread has its own buffers and registrations. */
static __thread Exchange ex;

static int read_more(int fd, size_t *len, double deadline, int eof_ok);
static double now_ms(void);

static size_t max_head(void) { return ex.max_head ? ex.max_head : VU_DEFAULT_MAX_HEAD; }
static size_t max_body(void) { return ex.max_body ? ex.max_body : VU_DEFAULT_MAX_BODY; }

static void free_exchange_buffers(void) {
  free(ex.raw);
  free(ex.head);
  memset(&ex, 0, sizeof ex);
}

static int ensure(void **buf, size_t *cap, size_t need) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap : 16384;
  while (c < need) {
    if (c > SIZE_MAX / 2) return -ENOMEM;
    c *= 2;
  }
  void *p = realloc(*buf, c);
  if (!p) return -ENOMEM;
  *buf = p;
  *cap = c;
  return 0;
}

static long find_crlf(const unsigned char *p, size_t from, size_t len) {
  for (size_t i = from; i + 1 < len; i++)
    if (p[i] == '\r' && p[i + 1] == '\n') return (long)i;
  return -1;
}

static long find_head_end(const unsigned char *p, size_t from, size_t len) {
  for (size_t i = from; i + 3 < len; i++)
    if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n') return (long)i;
  return -1;
}

static int ieq(const unsigned char *a, size_t alen, const char *b) {
  size_t blen = strlen(b);
  if (alen != blen) return 0;
  for (size_t i = 0; i < alen; i++) {
    unsigned char c = a[i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    if (c != (unsigned char)b[i]) return 0;
  }
  return 1;
}

static int contains_token(const unsigned char *v, size_t vlen, const char *token) {
  size_t t = strlen(token);
  for (size_t i = 0; i + t <= vlen; i++)
    if (ieq(v + i, t, token)) return 1;
  return 0;
}

typedef struct {
  int status;
  long content_length; /* -1: none; -2: not a number or past the body limit */
  int chunked;
  int keep_alive;
} Head;

/* Parses the head in raw[start, end) (end: its blank line's CRLF) into ex.head; -EPROTO when it is not HTTP/1.x. */
static int parse_head(size_t start, size_t end, Head *h) {
  const unsigned char *p = ex.raw;
  if (end - start < 12 || memcmp(p + start, "HTTP/1.", 7) != 0) return -EPROTO;
  for (int i = 9; i < 12; i++)
    if (p[start + i] < '0' || p[start + i] > '9') return -EPROTO;
  h->status = (p[start + 9] - '0') * 100 + (p[start + 10] - '0') * 10 + (p[start + 11] - '0');
  if (h->status < 100) return -EPROTO;
  h->keep_alive = p[start + 7] == '1';
  h->content_length = -1;
  h->chunked = 0;
  if (ensure((void **)&ex.head, &ex.head_cap, (end - start) * 2 + 16) < 0) return -ENOMEM;
  size_t out = 0;
  long eol = find_crlf(p, start, end + 2);
  size_t text = start + 13 < (size_t)eol ? start + 13 : (size_t)eol;
  memcpy(ex.head + out, p + text, (size_t)eol - text);
  out += (size_t)eol - text;
  ex.head[out++] = '\n';
  for (size_t line = (size_t)eol + 2; line < end;) {
    long next = find_crlf(p, line, end + 2);
    size_t stop = next < 0 ? end : (size_t)next;
    size_t colon = line;
    while (colon < stop && p[colon] != ':') colon++;
    if (colon > line && colon < stop) {
      size_t v = colon + 1, ve = stop;
      while (v < ve && (p[v] == ' ' || p[v] == '\t')) v++;
      while (ve > v && (p[ve - 1] == ' ' || p[ve - 1] == '\t')) ve--;
      const unsigned char *name = p + line;
      size_t nlen = colon - line;
      if (ieq(name, nlen, "content-length")) {
        size_t n = 0, i = v;
        for (; i < ve && p[i] >= '0' && p[i] <= '9'; i++) {
          n = n * 10 + (size_t)(p[i] - '0');
          if (n > max_body()) break;
        }
        if (i == v) return -EPROTO;
        h->content_length = n > max_body() ? -2 : (long)n;
      } else if (ieq(name, nlen, "transfer-encoding")) {
        h->chunked = contains_token(p + v, ve - v, "chunked");
      } else if (ieq(name, nlen, "connection")) {
        if (contains_token(p + v, ve - v, "close")) h->keep_alive = 0;
        else if (contains_token(p + v, ve - v, "keep-alive")) h->keep_alive = 1;
      }
      memcpy(ex.head + out, name, nlen);
      out += nlen;
      ex.head[out++] = ':';
      ex.head[out++] = ' ';
      memcpy(ex.head + out, p + v, ve - v);
      out += ve - v;
      ex.head[out++] = '\n';
    }
    line = stop + 2;
  }
  ex.head[out] = 0;
  return (int)out;
}

static int hex_digit(unsigned char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Waits for a CRLF at or after pos without letting one line grow past `limit` bytes (-EMSGSIZE past it). */
static long next_line(int fd, size_t pos, size_t *len, double deadline, size_t limit) {
  long eol;
  size_t scanned = pos;
  while ((eol = find_crlf(ex.raw, scanned, *len)) < 0) {
    if (*len - pos > limit) return -EMSGSIZE;
    scanned = *len > pos + 1 ? *len - 1 : pos;
    int rc = read_more(fd, len, deadline, 0);
    if (rc < 0) return rc;
  }
  return eol;
}

/* Decodes a chunked body in place from raw[pos]; body ends up at raw[pos, *body_end). Returns the raw end. */
static long read_chunked(int fd, size_t pos, size_t *len, double deadline, size_t *body_end) {
  const size_t start = pos;
  size_t w = pos;
  for (;;) {
    long eol = next_line(fd, pos, len, deadline, 4096);
    if (eol < 0) return eol;
    size_t size = 0;
    size_t i = pos;
    for (; i < (size_t)eol; i++) {
      int d = hex_digit(ex.raw[i]);
      if (d < 0) break;
      /* Past the body limit (and long before size_t would wrap): refused, whatever the digits that follow. */
      if (size > (max_body() >> 4)) return -EFBIG;
      size = size * 16 + (size_t)d;
    }
    if (i == pos) return -EPROTO;
    if (i < (size_t)eol && ex.raw[i] != ';' && ex.raw[i] != ' ' && ex.raw[i] != '\t') return -EPROTO;
    pos = (size_t)eol + 2;
    if (size == 0) break;
    if (size > max_body() - (w - start)) return -EFBIG;
    /* pos + size + 2 cannot wrap: size <= max_body, and pos is an offset within the buffer. */
    while (*len < pos + size + 2) {
      int rc = read_more(fd, len, deadline, 0);
      if (rc < 0) return rc;
    }
    if (ex.raw[pos + size] != '\r' || ex.raw[pos + size + 1] != '\n') return -EPROTO;
    memmove(ex.raw + w, ex.raw + pos, size);
    w += size;
    pos += size + 2;
  }
  /* Trailers, up to the empty line, bounded like a head. */
  const size_t trailers = pos;
  for (;;) {
    long eol = next_line(fd, pos, len, deadline, max_head());
    if (eol < 0) return eol;
    int empty = (size_t)eol == pos;
    pos = (size_t)eol + 2;
    if (empty) break;
    if (pos - trailers > max_head()) return -EMSGSIZE;
  }
  *body_end = w;
  return (long)pos;
}

/* A response as read_response() leaves it. */
typedef struct {
  Head h;
  size_t body_start, body_end, end, len;
  int keep_alive;
  double t_first;
} Response;

/*
 * Reads one whole response from fd (the request is sent): the head (skipping
 * informational 1xx answers), then the body by its framing. 0, or -errno with
 * r->len telling how much was read (0: nothing at all).
 */
static int read_response(int fd, double deadline, int no_body, Response *r) {
  size_t len = 0, start = 0;
  long head_end;
  r->t_first = 0;
  r->len = 0;
  for (;;) {
    size_t scanned = start;
    while ((head_end = find_head_end(ex.raw, scanned, len)) < 0) {
      if (len - start > max_head()) {
        r->len = len;
        return -EMSGSIZE;
      }
      scanned = len > start + 3 ? len - 3 : start;
      int rc = read_more(fd, &len, deadline, 0);
      r->len = len;
      if (rc < 0) return rc;
      if (!r->t_first) r->t_first = now_ms();
    }
    if ((size_t)head_end - start > max_head()) return -EMSGSIZE;
    int rc = parse_head(start, (size_t)head_end, &r->h);
    if (rc < 0) return rc;
    /* Informational answers (100 Continue, 103 Early Hints) come before the real one. */
    if (r->h.status >= 100 && r->h.status < 200 && r->h.status != 101) {
      start = (size_t)head_end + 4;
      if (start > max_head()) return -EMSGSIZE;
      continue;
    }
    break;
  }
  Head *h = &r->h;
  size_t body_start = (size_t)head_end + 4;
  size_t body_end = body_start;
  size_t end;
  int keep_alive = h->keep_alive;
  if (no_body || h->status == 204 || h->status == 304 || (h->status >= 100 && h->status < 200)) {
    end = body_start;
  } else if (h->chunked) {
    long rc = read_chunked(fd, body_start, &len, deadline, &body_end);
    r->len = len;
    if (rc < 0) return (int)rc;
    end = (size_t)rc;
  } else if (h->content_length == -2) {
    return -EFBIG;
  } else if (h->content_length >= 0) {
    end = body_start + (size_t)h->content_length;
    if (ensure((void **)&ex.raw, &ex.raw_cap, end + 1) < 0) return -ENOMEM;
    while (len < end) {
      int rc = read_more(fd, &len, deadline, 0);
      r->len = len;
      if (rc < 0) return rc;
    }
    body_end = end;
  } else {
    /* No length: the body runs to the end of the stream. */
    for (;;) {
      if (len - body_start > max_body()) return -EFBIG;
      int rc = read_more(fd, &len, deadline, 1);
      r->len = len;
      if (rc < 0) return rc;
      if (rc == 1) break;
    }
    if (len - body_start > max_body()) return -EFBIG;
    end = body_end = len;
    keep_alive = 0;
  }
  /* Bytes past this response would mean a confused stream: never reuse it. */
  if (len != end) keep_alive = 0;
  r->body_start = body_start;
  r->body_end = body_end;
  r->end = end;
  r->len = len;
  r->keep_alive = keep_alive;
  return 0;
}

#endif
