import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../errors.ts';
import { c03Samples, readShared } from '../../../test/support/conformance.ts';
import { SampleFactory } from '../../../test/support/synthetic-samples.ts';
import { MetricsRegistry } from '../metrics/index.ts';
import { abortMessage, evaluateThresholds, parseDurationMs, parseThresholds, shouldAbort } from './thresholds.ts';

type Expected = Record<string, { thresholds?: Record<string, 'ok' | 'failed'>; exit_code: number }>;
const expected = readShared<Expected>('conformance/expected.json');

const verdicts = (results: Array<{ metric: string; source: string; ok: boolean }>): Record<string, string> =>
  Object.fromEntries(results.map((r) => [`${r.metric} ${r.source}`, r.ok ? 'ok' : 'failed']));

describe('parseThresholds', () => {
  it('accepts strings and objects with abortOnFail/delayAbortEval', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds(
      {
        http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '1s' }, 'rate<0.5'],
        'http_req_duration{name:login}': ['p(95)<300'],
      },
      registry,
    );
    expect(specs).toEqual([
      { metric: 'http_req_failed', source: 'rate<0.1', abortOnFail: true, delayAbortEvalMs: 1000 },
      { metric: 'http_req_failed', source: 'rate<0.5', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'http_req_duration{name:login}', source: 'p(95)<300', abortOnFail: false, delayAbortEvalMs: 0 },
    ]);
    expect(registry.state('http_req_duration{name:login}')?.observed).toBe(true);
    expect(registry.state('http_req_duration')?.observed).toBe(true);
  });

  it('rejects a metric the script never defined, naming it', () => {
    expect(() => parseThresholds({ my_trend: ['p(95)<1'] }, new MetricsRegistry())).toThrow(
      "invalid metric 'my_trend' in threshold definitions: metric 'my_trend' does not exist in the script",
    );
    expect(() => parseThresholds({ 'nope{name:x}': ['p(95)<1'] }, new MetricsRegistry())).toThrow(
      /metric 'nope' does not exist/,
    );
  });

  it('rejects a malformed expression with its exact text', () => {
    const run = (): unknown => parseThresholds({ http_req_duration: ['p(95) <> 300x'] }, new MetricsRegistry());
    expect(run).toThrow(ToolkitError);
    expect(run).toThrow(/"p\(95\) <> 300x"/);
    expect(() => parseThresholds({ http_req_duration: ['p95<300'] }, new MetricsRegistry())).toThrow(/"p95<300"/);
  });

  it.each([
    ['http_reqs', 'p(95)<1', 'count, rate'],
    ['vus', 'max<10', 'value'],
    ['http_req_failed', 'count<1', 'rate'],
    ['http_req_duration', 'rate<1', 'avg, min, max, med, p'],
    ['http_req_duration', 'count>1', 'avg, min, max, med, p'],
  ])('rejects an aggregation %s does not support: %s', (metric, source, supported) => {
    expect(() => parseThresholds({ [metric]: [source] }, new MetricsRegistry())).toThrow(
      `unsupported aggregation method ${source.split(/[<>]/)[0]?.replace(/\(.*/, '')} on metric of type`,
    );
    expect(() => parseThresholds({ [metric]: [source] }, new MetricsRegistry())).toThrow(
      `supported aggregation methods for this metric are: ${supported}`,
    );
  });

  it('rejects non-array lists and bad entries', () => {
    expect(() => parseThresholds({ http_reqs: 'count>1' }, new MetricsRegistry())).toThrow(/expected an array/);
    expect(() => parseThresholds({ http_reqs: [{ abortOnFail: true }] }, new MetricsRegistry())).toThrow(
      /\['http_reqs'\]\[0\]/,
    );
    expect(() =>
      parseThresholds({ http_reqs: [{ threshold: 'count>1', delayAbortEval: 'soon' }] }, new MetricsRegistry()),
    ).toThrow(/invalid duration/);
    expect(parseThresholds(undefined, new MetricsRegistry())).toEqual([]);
  });

  it('parses k6 durations', () => {
    expect(parseDurationMs('1m30s', 'x')).toBe(90_000);
    expect(parseDurationMs('500ms', 'x')).toBe(500);
    expect(parseDurationMs('2', 'x')).toBe(2000);
    expect(parseDurationMs(250, 'x')).toBe(250);
    expect(parseDurationMs('1h', 'x')).toBe(3_600_000);
  });
});

describe('evaluateThresholds', () => {
  it('reproduces the verdicts of real k6 on c03-thresholds-mixed', () => {
    const { registry, factory, thresholds } = c03Samples();
    const specs = parseThresholds(thresholds, registry);
    registry.add(factory.samples);
    const results = evaluateThresholds(registry, specs, { elapsedMs: 236, final: true });
    expect(verdicts(results)).toEqual(expected['c03-thresholds-mixed']?.thresholds);
  });

  it('reproduces c06 (rate over failures) and c07 (scenario and custom-tag sub-metrics)', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds(
      {
        http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '1s' }],
        'http_reqs{scenario:writers}': ['count==4'],
        'http_reqs{role:reader}': ['count>10'],
      },
      registry,
    );
    const readers = new SampleFactory(0, { scenario: 'readers', role: 'reader' });
    for (let i = 0; i < 30; i++) readers.request({ status: 500, durationMs: 1 });
    const writers = new SampleFactory(0, { scenario: 'writers' });
    for (let i = 0; i < 4; i++) writers.request({ status: 500, durationMs: 1 });
    registry.add([...readers.samples, ...writers.samples]);
    const results = verdicts(evaluateThresholds(registry, specs, { elapsedMs: 2000, final: true }));
    expect(results['http_req_failed rate<0.1']).toBe(
      expected['c06-abort-on-fail']?.thresholds?.['http_req_failed rate<0.1'],
    );
    expect(results['http_reqs{scenario:writers} count==4']).toBe('ok');
    expect(results['http_reqs{role:reader} count>10']).toBe('ok');
  });

  it('computes a counter rate over the elapsed time', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds({ http_reqs: ['rate>=10', 'rate<=10', 'rate>10'] }, registry);
    registry.add(
      new SampleFactory().request({ status: 200, durationMs: 1 }).request({ status: 200, durationMs: 1 }).samples,
    );
    expect(evaluateThresholds(registry, specs, { elapsedMs: 200, final: true }).map((r) => r.ok)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('skips empty metrics during the run and judges them on zero values at the end', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds(
      { 'http_req_duration{name:none}': ['p(95)<1', 'max>5'], checks: ['rate>0.9'] },
      registry,
    );
    expect(evaluateThresholds(registry, specs, { elapsedMs: 1000, final: false }).every((r) => r.ok)).toBe(true);
    // p(95) of nothing is 0 (passes); max>5 fails; an empty rate has no value: real k6 (1.3 and 2.2) logs
    // "Threshold error" and leaves it uncrossed (`checks: ['rate>0.9']` with no check exits 0).
    expect(evaluateThresholds(registry, specs, { elapsedMs: 1000, final: true }).map((r) => r.ok)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('evaluates every trend aggregation', () => {
    const registry = new MetricsRegistry();
    registry.define({ name: 'lat', type: 'trend', contains: 'time' });
    const f = new SampleFactory();
    for (let v = 1; v <= 1000; v++) f.emit('lat', v);
    registry.add(f.samples);
    const specs = parseThresholds(
      {
        lat: [
          'avg==500.5',
          'min===1',
          'max==1000',
          'med==500.5',
          'p(90)>900',
          'p(99.9)>=999',
          'p(99.9)<999.1',
          'p(100)!=999',
        ],
      },
      registry,
    );
    expect(evaluateThresholds(registry, specs, { elapsedMs: 1, final: true }).filter((r) => !r.ok)).toEqual([]);
  });

  it('gauges use the last value', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds({ vus: ['value==3'] }, registry);
    registry.add(new SampleFactory().emit('vus', 10).emit('vus', 3).samples);
    expect(evaluateThresholds(registry, specs, { elapsedMs: 1, final: true })[0]?.ok).toBe(true);
  });
});

describe('shouldAbort', () => {
  it('waits for delayAbortEval, and aborts at once without it', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds(
      {
        http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '1s' }, 'rate<0.01'],
      },
      registry,
    );
    registry.add(new SampleFactory().request({ status: 500, durationMs: 1 }).samples);
    const early = evaluateThresholds(registry, specs, { elapsedMs: 900, final: false });
    expect(shouldAbort(early, specs, 900)).toBeUndefined();
    const late = evaluateThresholds(registry, specs, { elapsedMs: 2000, final: false });
    expect(shouldAbort(late, specs, 2000)).toMatchObject({ metric: 'http_req_failed', source: 'rate<0.1' });
    expect(abortMessage(late)).toBe(
      "thresholds on metrics 'http_req_failed' were breached; at least one has abortOnFail enabled, stopping test prematurely",
    );

    const immediate = parseThresholds({ http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true }] }, registry);
    expect(
      shouldAbort(evaluateThresholds(registry, immediate, { elapsedMs: 10, final: false }), immediate, 10),
    ).toBeDefined();
  });

  it('never aborts on thresholds without abortOnFail', () => {
    const registry = new MetricsRegistry();
    const specs = parseThresholds({ http_req_failed: ['rate<0.1'] }, registry);
    registry.add(new SampleFactory().request({ status: 500, durationMs: 1 }).samples);
    expect(
      shouldAbort(evaluateThresholds(registry, specs, { elapsedMs: 5000, final: false }), specs, 5000),
    ).toBeUndefined();
  });
});
