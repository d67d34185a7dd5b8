import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MetricsRegistry } from '../../toolkit/k6-core/index.ts';
import { SampleFactory } from './synthetic-samples.ts';

/** Where the real-k6 conformance material lives (shared with the engine's tests). */
export const CONFORMANCE_DIR = fileURLToPath(new URL('../fixtures/k6/conformance/', import.meta.url));
export const K6_SHARED_DIR = fileURLToPath(new URL('../fixtures/k6/', import.meta.url));

/** Reads a JSON file of the shared k6 material. */
export function readShared<T>(relative: string): T {
  return JSON.parse(readFileSync(K6_SHARED_DIR + relative, 'utf8')) as T;
}

/** c03-thresholds-mixed replayed as samples: 20 iterations of /json then /slow (name:slow), custom metrics of all four types. */
export function c03Samples(): {
  registry: MetricsRegistry;
  factory: SampleFactory;
  thresholds: Record<string, string[]>;
} {
  const registry = new MetricsRegistry();
  registry.define({ name: 'items_seen', type: 'counter', contains: 'default' });
  registry.define({ name: 'last_value', type: 'gauge', contains: 'default' });
  registry.define({ name: 'good_ratio', type: 'rate', contains: 'default' });
  registry.define({ name: 'payload_size', type: 'trend', contains: 'default' });
  const f = new SampleFactory();
  for (let i = 0; i < 20; i++) {
    f.request({ status: 200, durationMs: 0.4 + i * 0.02, tags: { name: 'http://127.0.0.1:18090/json' } })
      .emit('items_seen', 3)
      .emit('last_value', 7)
      .emit('good_ratio', 1)
      .emit('payload_size', 46, { kind: 'big' })
      .tick(1)
      .request({ status: 200, durationMs: 20.3 + i * 0.1, tags: { name: 'slow' } })
      .tick(21)
      .iteration(23);
  }
  const thresholds = {
    items_seen: ['count==60', 'rate>0'],
    last_value: ['value>=0'],
    good_ratio: ['rate>=0.5'],
    payload_size: ['avg>10', 'med>10', 'min>10', 'max<10000', 'p(90)<10000', 'p(99.9)<10000'],
    'payload_size{kind:big}': ['max<5'],
    'http_req_duration{name:slow}': ['p(95)<1'],
    http_reqs: ['count==40'],
  };
  return { registry, factory: f, thresholds };
}

/** c01-checks-groups replayed: 3 VUs x 5 iterations of group api (json, checks) and nested (503, checks). */
export function c01Samples(): { registry: MetricsRegistry; factory: SampleFactory } {
  const registry = new MetricsRegistry();
  const f = new SampleFactory(Date.UTC(2026, 0, 1), { scenario: 'main' });
  for (let i = 0; i < 15; i++) {
    f.request({ status: 200, durationMs: 1, tags: { name: 'json' }, group: '::api' })
      .check('status is 200', true, '::api')
      .check('three items', true, '::api')
      .request({ status: 503, durationMs: 1, tags: { name: 'unavailable' }, group: '::api::nested' })
      .check('is 503', true, '::api::nested')
      .check('is 200 (fails)', false, '::api::nested')
      .group('::api::nested', 1.5)
      .group('::api', 3)
      .iteration(3.2)
      .tick(10);
  }
  return { registry, factory: f };
}
