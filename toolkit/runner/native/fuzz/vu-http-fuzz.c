/*
 * libFuzzer harness over the VU socket addon's response parser (../vu-http.h),
 * built with AddressSanitizer and UndefinedBehaviorSanitizer by `npm run fuzz`.
 * Each input is a byte stream as a server would send it. It is parsed twice:
 * delivered in pieces of varying size with moderate limits, and one byte at a
 * time with tiny limits, so that every read boundary and every limit check is
 * reached. After a successful parse the harness checks the parser's
 * invariants and reads every byte of the head and body it reports.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

static int read_more(int fd, size_t *len, double deadline, int eof_ok);
static double now_ms(void) { return 1; }
#include "../vu-http.h"

static const uint8_t *input;
static size_t input_len, input_pos, piece_max;

/* Hands the parser the next piece of the input, as recv() would. */
static int read_more(int fd, size_t *len, double deadline, int eof_ok) {
  (void)fd;
  (void)deadline;
  if (input_pos >= input_len) return eof_ok ? 1 : -ECONNRESET;
  size_t piece = 1 + (input_pos * 31 + input_len) % piece_max;
  if (piece > input_len - input_pos) piece = input_len - input_pos;
  if (ensure((void **)&ex.raw, &ex.raw_cap, *len + piece) < 0) return -ENOMEM;
  memcpy(ex.raw + *len, input + input_pos, piece);
  input_pos += piece;
  *len += piece;
  return 0;
}

static volatile unsigned sink;

static void parse(const uint8_t *data, size_t size, size_t pieces, size_t head_limit, size_t body_limit, int no_body) {
  input = data;
  input_len = size;
  input_pos = 0;
  piece_max = pieces;
  ex.max_head = head_limit;
  ex.max_body = body_limit;
  Response r;
  memset(&r, 0, sizeof r);
  int rc = read_response(0, 0, no_body, &r);
  if (rc == 0) {
    if (!(r.body_start <= r.body_end && r.body_end <= r.end && r.end <= r.len && r.len <= ex.raw_cap)) __builtin_trap();
    if (r.body_end - r.body_start > body_limit) __builtin_trap();
    if (r.h.status < 100 || r.h.status > 999) __builtin_trap();
    size_t head = strlen(ex.head);
    if (head >= ex.head_cap) __builtin_trap();
    unsigned acc = 0;
    for (size_t i = r.body_start; i < r.body_end; i++) acc += ex.raw[i];
    for (size_t i = 0; i < head; i++) acc += (unsigned char)ex.head[i];
    sink = acc;
  } else if (rc > 0) {
    __builtin_trap();
  }
  free_exchange_buffers();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  parse(data, size, 4096, 64 * 1024, 1024 * 1024, 0);
  parse(data, size, 1, 256, 1024, size > 0 && (data[0] & 1));
  return 0;
}
