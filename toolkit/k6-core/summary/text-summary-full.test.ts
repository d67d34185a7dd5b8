import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { K6_SHARED_DIR } from '../../../test/support/conformance.ts';
import { SampleFactory } from '../../../test/support/synthetic-samples.ts';
import { MetricsRegistry } from '../metrics/index.ts';
import { evaluateThresholds, parseThresholds } from '../thresholds/index.ts';
import { buildSummaryData } from './summary-data.ts';
import { renderTextSummary } from './text-summary.ts';

function run(
  build: (f: SampleFactory, vus: SampleFactory) => void,
  thresholds: Record<string, string[]> = {},
): { text: string; registry: MetricsRegistry } {
  const registry = new MetricsRegistry({ breakdown: true });
  const specs = parseThresholds(thresholds, registry);
  const f = new SampleFactory(Date.UTC(2026, 0, 1), { scenario: 'ramp' });
  const vus = new SampleFactory(Date.UTC(2026, 0, 1), {});
  build(f, vus);
  registry.add([...f.samples, ...vus.samples]);
  const data = buildSummaryData({
    registry,
    specs,
    thresholds: evaluateThresholds(registry, specs, { elapsedMs: 10_000, final: true }),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
    testRunDurationMs: 10_000,
    isStdOutTTY: false,
    isStdErrTTY: false,
    noColor: true,
  });
  return { text: renderTextSummary(data, { mode: 'full', breakdown: registry.breakdown }), registry };
}

/** `    http_req_blocked...........:` prefixes: they depend only on names and nesting, so they must match k6's exactly. */
const rowPrefixes = (text: string): string[] =>
  text.split('\n').flatMap((line) => /^(\s*\S+?\.{3,}:)/.exec(line)?.[1] ?? []);
const headings = (text: string): string[] => text.split('\n').filter((line) => /█|↳ GROUP|^\s+[A-Z]+$/.test(line));

describe('renderTextSummary full mode', () => {
  it('lays out TOTAL RESULTS and the SCENARIO block like k6 v1.3 full mode', () => {
    const { text } = run(
      (f, vus) => {
        for (let i = 0; i < 20; i++)
          f.request({ status: 200, durationMs: 2 + i })
            .check('status is 200', true)
            .check('body.ok is true', true)
            .iteration(3 + i);
        vus.emit('vus', 1).emit('vus_max', 50);
      },
      { http_req_duration: ['p(95)<200'] },
    );
    const expected = readFileSync(`${K6_SHARED_DIR}summary-example.full-mode.txt`, 'utf8');
    expect(rowPrefixes(text)).toEqual(rowPrefixes(expected));
    expect(headings(text)).toEqual(headings(expected));
    expect(text.endsWith('449 kB/s\n\n\n\n') || text.endsWith('/s\n\n\n\n')).toBe(true);
  });

  it('renders groups with their checks, metrics and nested groups one level in', () => {
    const { text } = run((f) => {
      f.baseTags['scenario'] = 'default';
      for (let i = 0; i < 3; i++) {
        f.request({ status: 200, durationMs: 1, group: '::api' })
          .check('ok', true, '::api')
          .request({ status: 503, durationMs: 1, group: '::api::nested' })
          .check('is 200', i === 0, '::api::nested')
          .group('::api::nested', 2)
          .group('::api', 3)
          .iteration(4);
      }
    });
    const lines = text.split('\n');
    const at = lines.indexOf('  █ GROUP: api ');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 2, at + 8)).toEqual([
      '    checks_total.......: 3       0.3/s',
      '    checks_succeeded...: 100.00% 3 out of 3',
      '    checks_failed......: 0.00%   0 out of 3',
      '',
      '    ✓ ok',
      '',
    ]);
    const nested = lines.indexOf('    ↳ GROUP: nested ');
    expect(nested).toBeGreaterThan(at);
    expect(lines[nested + 1]).toBe('      checks_total.......: 3      0.3/s'); // widest value here is 33.33%
    expect(lines).toContain('      ✗ is 200');
    expect(lines).toContain('          ↳  33% — ✓ 1 / ✗ 2');
    expect(text).not.toContain('SCENARIO: default');
  });

  it('keeps no breakdown unless asked', () => {
    expect(new MetricsRegistry().breakdown).toBeUndefined();
  });
});
