/*
 * Blocking HTTP/1.1 exchanges for one VU thread of the built-in runner.
 *
 * A k6 VU's http.* calls are synchronous. Without this addon a VU hands each
 * request to the main thread and sleeps until the answer comes back: two
 * thread hand-offs per request. With it, the VU talks to its own sockets and
 * the kernel wakes it when the answer arrives, as k6's own VUs each own their
 * connections. A whole exchange (send, read, parse the head, frame and decode
 * the body) is one call: per-request JavaScript is what costs most when many
 * VU isolates each run code that has not been optimised yet. Sockets stay
 * non-blocking; every wait is a poll() of at most 100 ms, between which the
 * VU's interrupt cell (graceful stop) is checked.
 *
 * Every call returns a number: >= 0 on success, -errno on failure. Sockets a
 * VU leaves open are closed when its thread's environment is torn down.
 */
#define NAPI_VERSION 8
#define _GNU_SOURCE
#include <node_api.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vu-http.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* The sockets one environment (one VU thread) has open. */
typedef struct {
  int *fds;
  size_t count;
  size_t cap;
} OpenSockets;

static void forget_fd(OpenSockets *s, int fd) {
  for (size_t i = 0; i < s->count; i++) {
    if (s->fds[i] == fd) {
      s->fds[i] = s->fds[--s->count];
      return;
    }
  }
}

static int remember_fd(OpenSockets *s, int fd) {
  if (s->count == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    int *grown = realloc(s->fds, cap * sizeof(int));
    if (!grown) return -ENOMEM;
    s->fds = grown;
    s->cap = cap;
  }
  s->fds[s->count++] = fd;
  return 0;
}

/* Runs when the environment (the VU thread) is torn down, on that thread. */
static void close_all(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  OpenSockets *s = data;
  for (size_t i = 0; i < s->count; i++) close(s->fds[i]);
  free(s->fds);
  free(s);
  free_exchange_buffers();
}

static OpenSockets *sockets_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return data;
}

static napi_value number(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

static int32_t int_arg(napi_env env, napi_value v) {
  int32_t x = -1;
  napi_get_value_int32(env, v, &x);
  return x;
}

/* Copies a string argument into buf (NUL-terminated); 0 when it is not a string or does not fit. */
static int string_arg(napi_env env, napi_value v, char *buf, size_t size) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, size, &len) != napi_ok) return 0;
  return len + 1 < size;
}

/* Bytes of a Uint8Array (or Buffer) argument. */
static int bytes_arg(napi_env env, napi_value v, unsigned char **data, size_t *len) {
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  void *p = NULL;
  if (napi_get_typedarray_info(env, v, &type, len, &p, &ab, &offset) != napi_ok || type != napi_uint8_array) return 0;
  *data = p;
  return 1;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Waits for `events` on fd for at most timeout_ms: 1 ready, 0 timed out, -errno. */
static int wait_for(int fd, short events, int timeout_ms) {
  struct pollfd p = {fd, events, 0};
  for (;;) {
    double start = now_ms();
    int r = poll(&p, 1, timeout_ms);
    if (r > 0) return 1;
    if (r == 0) return 0;
    if (errno != EINTR) return -errno;
    timeout_ms -= (int)(now_ms() - start);
    if (timeout_ms < 0) timeout_ms = 0;
  }
}

/* resolve(host) -> array of numeric addresses, or a string saying why the lookup failed. */
static napi_value Resolve(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char host[256];
  napi_value out;
  if (argc < 1 || !string_arg(env, argv[0], host, sizeof host)) {
    napi_create_string_utf8(env, "invalid host name", NAPI_AUTO_LENGTH, &out);
    return out;
  }
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, NULL, &hints, &res);
  if (rc != 0) {
    napi_create_string_utf8(env, gai_strerror(rc), NAPI_AUTO_LENGTH, &out);
    return out;
  }
  napi_create_array(env, &out);
  uint32_t n = 0;
  for (struct addrinfo *a = res; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN];
    const void *addr = a->ai_family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr
                                                : (const void *)&((struct sockaddr_in *)a->ai_addr)->sin_addr;
    if (!inet_ntop(a->ai_family, addr, text, sizeof text)) continue;
    napi_value s;
    napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, out, n++, s);
  }
  freeaddrinfo(res);
  return out;
}

/* connect(ip, port, timeoutMs) -> fd, or -errno (-ETIMEDOUT when the timeout passed). */
static napi_value Connect(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char ip[INET6_ADDRSTRLEN];
  if (argc < 3 || !string_arg(env, argv[0], ip, sizeof ip)) return number(env, -EINVAL);
  int port = int_arg(env, argv[1]);
  int timeout_ms = int_arg(env, argv[2]);
  struct sockaddr_storage sa;
  socklen_t sa_len;
  memset(&sa, 0, sizeof sa);
  struct sockaddr_in *v4 = (struct sockaddr_in *)&sa;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&sa;
  if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    sa_len = sizeof *v4;
  } else if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    sa_len = sizeof *v6;
  } else {
    return number(env, -EINVAL);
  }
  int fd = socket(sa.ss_family, SOCK_STREAM, 0);
  if (fd < 0) return number(env, -errno);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
#ifdef SO_NOSIGPIPE
  int on_sigpipe = 1;
  setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on_sigpipe, sizeof on_sigpipe);
#endif
  int err = 0;
  if (connect(fd, (struct sockaddr *)&sa, sa_len) < 0) {
    if (errno != EINPROGRESS) {
      err = errno;
    } else {
      int ready = wait_for(fd, POLLOUT, timeout_ms);
      if (ready == 0) err = ETIMEDOUT;
      else if (ready < 0) err = -ready;
      else {
        socklen_t len = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
      }
    }
  }
  if (err != 0) {
    close(fd);
    return number(env, -err);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc = remember_fd(sockets_of(env), fd);
  if (rc < 0) {
    close(fd);
    return number(env, rc);
  }
  return number(env, fd);
}

/* idle(fd) -> 1 while a kept-alive socket is still usable (nothing to read, not closed), else 0. */
static napi_value Idle(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) return number(env, 0);
  struct pollfd p = {int_arg(env, argv[0]), POLLIN, 0};
  int r = poll(&p, 1, 0);
  return number(env, r == 0 ? 1 : 0);
}

/* close(fd) -> 0 or -errno. */
static napi_value Close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) return number(env, -EINVAL);
  int fd = int_arg(env, argv[0]);
  OpenSockets *s = sockets_of(env);
  size_t before = s->count;
  forget_fd(s, fd);
  /* Only sockets this environment opened: never close a descriptor that belongs to someone else. */
  if (s->count == before) return number(env, -EBADF);
  return number(env, close(fd) < 0 ? -errno : 0);
}

/* open() -> how many sockets this environment has open (for leak checks). */
static napi_value OpenCount(napi_env env, napi_callback_info info) {
  (void)info;
  return number(env, (double)sockets_of(env)->count);
}

/* ---- exchange: one HTTP/1.1 request and its whole response, parsed here ---- */

/* What exchange() reports besides its return value (a Float64Array registered by init()). */
enum { OUT_STATUS, OUT_SENDING, OUT_WAITING, OUT_RECEIVING, OUT_BYTES, OUT_KEEPALIVE, OUT_NOTHING_READ, OUT_LEN };

static int interrupted(void) { return ex.interrupt && __atomic_load_n(ex.interrupt, __ATOMIC_SEQ_CST) != 0; }

/* Reads at least one more byte into ex.raw at *len: 0 ok, -ECONNRESET at end of stream (or 1 when eof_ok), -errno. */
static int read_more(int fd, size_t *len, double deadline, int eof_ok) {
  if (ensure((void **)&ex.raw, &ex.raw_cap, *len + 16384) < 0) return -ENOMEM;
  for (;;) {
    double left = deadline - now_ms();
    if (left <= 0) return -ETIMEDOUT;
    /* Slices of 100 ms at most, so an interrupt (graceful stop) is seen soon. */
    int ready = wait_for(fd, POLLIN, left < 100 ? (int)left + 1 : 100);
    if (ready < 0) return ready;
    if (ready == 0) {
      if (interrupted()) return -ECANCELED;
      continue;
    }
    ssize_t n = recv(fd, ex.raw + *len, ex.raw_cap - *len, MSG_DONTWAIT);
    if (n > 0) {
      *len += (size_t)n;
      return 0;
    }
    if (n == 0) return eof_ok ? 1 : -ECONNRESET;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -errno;
  }
}

/*
 * init(out: Float64Array(8), cells: Int32Array, interruptIndex, maxHeadBytes?, maxBodyBytes?) -> 0.
 * Both arrays must stay alive (and off-heap: SharedArrayBuffer). The limits bound every response's
 * head and body (0 or absent: the defaults of vu-http.h).
 */
static napi_value Init_(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_typedarray_type type;
  size_t len, offset;
  void *p;
  napi_value ab;
  if (argc < 3 || napi_get_typedarray_info(env, argv[0], &type, &len, &p, &ab, &offset) != napi_ok || type != napi_float64_array || len < OUT_LEN)
    return number(env, -EINVAL);
  ex.out = p;
  if (napi_get_typedarray_info(env, argv[1], &type, &len, &p, &ab, &offset) != napi_ok || type != napi_int32_array) return number(env, -EINVAL);
  int32_t index = int_arg(env, argv[2]);
  if (index < 0 || (size_t)index >= len) return number(env, -EINVAL);
  ex.interrupt = (int32_t *)p + index;
  double limits[2] = {0, 0};
  for (size_t i = 3; i < argc && i < 5; i++) {
    napi_valuetype t;
    napi_typeof(env, argv[i], &t);
    if (t == napi_undefined) continue;
    if (t != napi_number || napi_get_value_double(env, argv[i], &limits[i - 3]) != napi_ok) return number(env, -EINVAL);
    /* Whole numbers from 1 byte to 1 TiB: sums of offsets and sizes then never wrap. */
    if (limits[i - 3] < 0 || limits[i - 3] > 1099511627776.0 || limits[i - 3] != (double)(size_t)limits[i - 3])
      return number(env, -EINVAL);
  }
  ex.max_head = (size_t)limits[0];
  ex.max_body = (size_t)limits[1];
  return number(env, 0);
}

static napi_value fail(napi_env env, int code, int nothing_read) {
  ex.out[OUT_STATUS] = code;
  ex.out[OUT_NOTHING_READ] = nothing_read;
  napi_value v;
  napi_get_null(env, &v);
  return v;
}

/*
 * exchange(fd, head: string, body: Uint8Array | null, noBody: 0|1, timeoutMs) -> string | null.
 * Sends the request and reads its whole response. On success returns "status text\nName: value\n..."
 * and fills out[] (status, sending/waiting/receiving ms, bytes, keep-alive); body() then gives the body.
 * On failure returns null with out[STATUS] = -errno (-ECANCELED when interrupted) and
 * out[NOTHING_READ] = 1 when the connection failed before any byte of a response.
 */
static napi_value Exchange_(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (!ex.out || argc < 5) return number(env, -EINVAL);
  int fd = int_arg(env, argv[0]);
  int no_body = int_arg(env, argv[3]);
  double t0 = now_ms();
  double deadline = t0 + int_arg(env, argv[4]);
  size_t hlen = 0;
  napi_get_value_string_latin1(env, argv[1], NULL, 0, &hlen);
  if (ensure((void **)&ex.raw, &ex.raw_cap, hlen + 16384) < 0) return fail(env, -ENOMEM, 1);
  napi_get_value_string_latin1(env, argv[1], (char *)ex.raw, ex.raw_cap, &hlen);
  unsigned char *body = NULL;
  size_t blen = 0;
  napi_valuetype bt;
  napi_typeof(env, argv[2], &bt);
  if (bt == napi_object && !bytes_arg(env, argv[2], &body, &blen)) return fail(env, -EINVAL, 1);
  /* Head and body in one write when the body is small: one packet, one syscall. */
  if (body && blen > 0 && blen <= 65536) {
    if (ensure((void **)&ex.raw, &ex.raw_cap, hlen + blen + 1) < 0) return fail(env, -ENOMEM, 1);
    memcpy(ex.raw + hlen, body, blen);
    hlen += blen;
    body = NULL;
    blen = 0;
  }
  const unsigned char *parts[2] = {ex.raw, body};
  size_t sizes[2] = {hlen, blen};
  for (int part = 0; part < 2; part++) {
    size_t done = 0;
    while (done < sizes[part]) {
      ssize_t n = send(fd, parts[part] + done, sizes[part] - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0) {
        done += (size_t)n;
        continue;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return fail(env, -errno, 1);
      double left = deadline - now_ms();
      if (left <= 0) return fail(env, -ETIMEDOUT, 0);
      if (interrupted()) return fail(env, -ECANCELED, 0);
      int ready = wait_for(fd, POLLOUT, left < 100 ? (int)left + 1 : 100);
      if (ready < 0) return fail(env, ready, 1);
    }
  }
  double t_sent = now_ms();
  Response r;
  memset(&r, 0, sizeof r);
  int rc = read_response(fd, deadline, no_body, &r);
  if (rc < 0) return fail(env, rc, r.len == 0);
  double t_first = r.t_first ? r.t_first : t_sent;
  size_t body_start = r.body_start, body_end = r.body_end, end = r.end;
  int keep_alive = r.keep_alive;
  Head h = r.h;
  double t_end = now_ms();
  ex.body_start = body_start;
  ex.body_end = body_end;
  ex.out[OUT_STATUS] = h.status;
  ex.out[OUT_SENDING] = t_sent - t0;
  ex.out[OUT_WAITING] = t_first - t_sent;
  ex.out[OUT_RECEIVING] = t_end - t_first;
  ex.out[OUT_BYTES] = (double)end;
  ex.out[OUT_KEEPALIVE] = keep_alive;
  ex.out[OUT_NOTHING_READ] = 0;
  napi_value head;
  napi_create_string_latin1(env, ex.head, NAPI_AUTO_LENGTH, &head);
  return head;
}

/* body(kind) -> the last response's body: kind 0 text (UTF-8), 1 ArrayBuffer, 2 none (null). */
static napi_value Body(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int kind = argc < 1 ? 0 : int_arg(env, argv[0]);
  size_t n = ex.body_end - ex.body_start;
  napi_value v;
  if (kind == 2) {
    napi_get_null(env, &v);
  } else if (kind == 1) {
    void *data = NULL;
    napi_create_arraybuffer(env, n, &data, &v);
    if (n) memcpy(data, ex.raw + ex.body_start, n);
  } else {
    napi_create_string_utf8(env, (const char *)ex.raw + ex.body_start, n, &v);
  }
  return v;
}

NAPI_MODULE_INIT() {
  OpenSockets *s = calloc(1, sizeof *s);
  if (!s || napi_set_instance_data(env, s, close_all, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "vu-socket: out of memory");
    return NULL;
  }
  const struct { const char *name; napi_callback fn; } fns[] = {
    {"resolve", Resolve}, {"connect", Connect},
    {"idle", Idle},       {"close", Close},     {"open", OpenCount}, {"init", Init_},
    {"exchange", Exchange_}, {"body", Body},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
    napi_set_named_property(env, exports, fns[i].name, f);
  }
  return exports;
}
