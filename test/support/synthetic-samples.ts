import type { Sample } from '../../toolkit/k6-core/index.ts';

/** Builds k6-like samples without running anything: what one request, check, group or iteration emits. For tests. */
export class SampleFactory {
  readonly samples: Sample[] = [];
  constructor(
    public time = Date.UTC(2026, 0, 1),
    readonly baseTags: Record<string, string> = { scenario: 'default' },
  ) {}

  /** Advances the clock (ms). */
  tick(ms: number): this {
    this.time += ms;
    return this;
  }

  emit(metric: string, value: number, tags: Record<string, string> = {}): this {
    this.samples.push({ metric, value, time: this.time, tags: { ...this.baseTags, ...tags } });
    return this;
  }

  /** Every built-in metric one HTTP request emits; expected_response follows k6's 200–399 rule. */
  request(opts: {
    status: number;
    durationMs: number;
    tags?: Record<string, string>;
    sent?: number;
    received?: number;
    group?: string;
  }): this {
    const expected = opts.status >= 200 && opts.status < 400;
    const tags = {
      method: 'GET',
      status: String(opts.status),
      name: 'http://127.0.0.1/',
      url: 'http://127.0.0.1/',
      group: opts.group ?? '',
      expected_response: String(expected),
      proto: 'HTTP/1.1',
      ...opts.tags,
    };
    const d = opts.durationMs;
    this.emit('http_reqs', 1, tags)
      .emit('http_req_duration', d, tags)
      .emit('http_req_blocked', d * 0.01, tags)
      .emit('http_req_connecting', 0, tags)
      .emit('http_req_tls_handshaking', 0, tags)
      .emit('http_req_sending', d * 0.01, tags)
      .emit('http_req_waiting', d * 0.97, tags)
      .emit('http_req_receiving', d * 0.02, tags)
      .emit('http_req_failed', expected ? 0 : 1, tags);
    return this.emit('data_sent', opts.sent ?? 78, { group: opts.group ?? '' }).emit(
      'data_received',
      opts.received ?? 204,
      { group: opts.group ?? '' },
    );
  }

  check(name: string, pass: boolean, group = ''): this {
    return this.emit('checks', pass ? 1 : 0, { check: name, group });
  }

  group(path: string, durationMs: number): this {
    return this.emit('group_duration', durationMs, { group: path });
  }

  iteration(durationMs: number, group = ''): this {
    return this.emit('iterations', 1, { group }).emit('iteration_duration', durationMs, { group });
  }
}
