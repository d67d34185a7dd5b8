import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { K6_SHARED_DIR } from '../../../test/support/conformance.ts';
import { humanizeBytes, humanizeDuration, humanizeValue } from './format.ts';
import { renderTextSummary } from './text-summary.ts';
import type { K6SummaryData, K6SummaryMetric } from './types.ts';

// Values a hair above the printed ones: k6 truncates durations, so 7.01 (7.00999… in binary) would print 7ms.
const trend = (avg: number, min: number, med: number, max: number, p90: number, p95: number): K6SummaryMetric => ({
  type: 'trend',
  contains: 'time',
  values: {
    avg: avg + 1e-4,
    min: min + 1e-7,
    med: med + 1e-4,
    max: max + 1e-4,
    'p(90)': p90 + 1e-4,
    'p(95)': p95 + 1e-4,
  },
});

/** The numbers behind test/fixtures/k6/summary-example.txt (real k6 v1.3 output). */
function exampleData(): K6SummaryData {
  const seconds = 192774 / 19276.641568;
  const d = trend(2.44, 0.0432, 1.78, 30.21, 4.99, 7.01);
  return {
    root_group: {
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: [],
      checks: [
        {
          name: 'status is 200',
          path: '::status is 200',
          id: '6210a8cd14cd70477eba5c5e4cb3fb5f',
          passes: 96387,
          fails: 0,
        },
        {
          name: 'body.ok is true',
          path: '::body.ok is true',
          id: '4b584c0f3436388125c8355ede55d035',
          passes: 96387,
          fails: 0,
        },
      ],
    },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: seconds * 1000 },
    metrics: {
      http_req_duration: { ...d, thresholds: { 'p(95)<200': { ok: true } } },
      'http_req_duration{expected_response:true}': d,
      http_req_blocked: trend(0.01, 0.001, 0.001, 1, 0.002, 0.003),
      http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 96387 } },
      http_reqs: { type: 'counter', contains: 'default', values: { count: 96387, rate: 9638.320784 } },
      iteration_duration: trend(2.51, 0.07049, 1.84, 30.25, 5.08, 7.13),
      iterations: { type: 'counter', contains: 'default', values: { count: 96387, rate: 9638.320784 } },
      vus: { type: 'gauge', contains: 'default', values: { value: 2, min: 2, max: 49 } },
      vus_max: { type: 'gauge', contains: 'default', values: { value: 50, min: 50, max: 50 } },
      data_received: { type: 'counter', contains: 'data', values: { count: 25_012_345, rate: 2_501_234 } },
      data_sent: { type: 'counter', contains: 'data', values: { count: 6_812_345, rate: 684_123 } },
      checks: { type: 'rate', contains: 'default', values: { rate: 1, passes: 192774, fails: 0 } },
      group_duration: trend(1, 1, 1, 1, 1, 1),
    },
  };
}

describe('renderTextSummary', () => {
  it('prints exactly what k6 v1.3 printed for the same numbers (compact mode)', () => {
    const expected = readFileSync(`${K6_SHARED_DIR}summary-example.txt`, 'utf8');
    expect(renderTextSummary(exampleData())).toBe(expected);
  });

  it('shows failed checks with their share, custom metrics first, failed thresholds with ✗', () => {
    const data = exampleData();
    data.root_group.groups.push({
      name: 'api',
      path: '::api',
      id: 'e6550cde192dbabccfbb3b1bac03a92a',
      groups: [],
      checks: [
        { name: 'status is 200', path: '::api::status is 200', id: 'x', passes: 0, fails: 0 },
        { name: 'is 200 (fails)', path: '::api::is 200 (fails)', id: 'y', passes: 1, fails: 2 },
      ],
    });
    data.metrics['payload_size'] = {
      type: 'trend',
      contains: 'default',
      values: { avg: 46, min: 46, med: 46, max: 46, 'p(90)': 46, 'p(95)': 46 },
      thresholds: { 'max<5': { ok: false } },
    };
    data.metrics['payload_size{kind:big}'] = {
      type: 'trend',
      contains: 'default',
      values: { avg: 46, min: 46, med: 46, max: 46, 'p(90)': 46, 'p(95)': 46 },
      thresholds: { 'p(99.9)<5': { ok: false } },
    };
    data.metrics['items_seen'] = {
      type: 'counter',
      contains: 'default',
      values: { count: 60, rate: 254.188091969 },
      thresholds: { 'rate>0': { ok: true } },
    };
    const text = renderTextSummary(data);
    const lines = text.split('\n');
    expect(lines).toContain('    ✗ is 200 (fails)');
    expect(lines).toContain('      ↳  33% — ✓ 1 / ✗ 2');
    expect(lines).toContain("    ✗ 'max<5' max=46");
    expect(lines).toContain('      {kind:big}');
    expect(lines).toContain("      ✗ 'p(99.9)<5'");
    expect(lines).toContain("    ✓ 'rate>0' rate=254.188092/s");
    expect(lines.indexOf('    CUSTOM')).toBeLessThan(lines.indexOf('    HTTP'));
    expect(lines.some((l) => l.startsWith('    items_seen.....') && l.includes(': 60 '))).toBe(true);
    expect(lines.some((l) => l.startsWith('    http_req_blocked'))).toBe(false);
    expect(lines.some((l) => l.includes('group_duration'))).toBe(false);
    expect(
      renderTextSummary(data, { mode: 'full' })
        .split('\n')
        .some((l) => l.startsWith('    http_req_blocked....')),
    ).toBe(true);
  });

  it('colors like k6 when asked, and the text is the same without the escapes', () => {
    const colored = renderTextSummary(exampleData(), { colors: true });
    expect(colored).toContain('\x1b[32m✓ status is 200\x1b[0m');
    expect(colored).toContain('\x1b[1mTOTAL RESULTS\x1b[0m');
    // eslint-disable-next-line no-control-regex
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderTextSummary(exampleData()));
  });

  it('has no THRESHOLDS or checks block when there are none', () => {
    const data = exampleData();
    delete data.metrics['http_req_duration']?.thresholds;
    delete data.metrics['checks'];
    const text = renderTextSummary(data);
    expect(text).not.toContain('THRESHOLDS');
    expect(text).not.toContain('checks_total');
    expect(text.startsWith('\n\n  █ TOTAL RESULTS \n\n    HTTP\n')).toBe(true);
  });
});

describe('value formatting', () => {
  it.each([
    [0, '0s'],
    [0.000561, '561ns'],
    [0.0432, '43.2µs'],
    [0.070491, '70.49µs'],
    [0.07049, '70.48µs'],
    [7.0101, '7.01ms'],
    [429.8, '429.8ms'],
    [1500, '1.5s'],
    [61_000, '1m1s'],
    [90_500, '1m30s'],
    [3_725_000, '1h2m5s'],
    // 0.07049 ms is 70.4899… µs in binary and k6 truncates, so it prints 70.48µs too.
  ])('duration %d ms -> %s', (ms, text) => expect(humanizeDuration(ms)).toBe(text));

  it('durations with a fixed summaryTimeUnit', () => {
    expect(humanizeDuration(1234.5678, 's')).toBe('1.23s');
    expect(humanizeDuration(1.5, 'us')).toBe('1500.00µs');
    expect(humanizeDuration(1.5, 'ms')).toBe('1.50ms');
  });

  it.each([
    [5, '5 B'],
    [999, '999 B'],
    [1234, '1.2 kB'],
    [684_123, '684 kB'],
    [6_812_345, '6.8 MB'],
    [25_012_345, '25 MB'],
    [3.2e9, '3.2 GB'],
  ])('bytes %d -> %s', (bytes, text) => expect(humanizeBytes(bytes)).toBe(text));

  it('rates are truncated percentages, plain numbers keep up to 6 decimals', () => {
    expect(humanizeValue(0.99999, { type: 'rate', contains: 'default' })).toBe('99.99%');
    expect(humanizeValue(0.5, { type: 'rate', contains: 'default' })).toBe('50.00%');
    expect(humanizeValue(9638.3207841, { type: 'counter', contains: 'default' })).toBe('9638.320784');
    expect(humanizeValue(3, { type: 'gauge', contains: 'default' })).toBe('3');
  });
});
