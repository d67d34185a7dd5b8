import { describe, expect, it } from 'vitest';
import { generateResults } from '../results/fixtures/generate.ts';
import { validateResults } from '../results/io.ts';
import type { ComparisonEntry, Results } from '../results/schema.ts';
import { loadReportAssets } from './assets.ts';
import { renderReport } from './render.ts';
import { comparisonSection } from './section-comparison.ts';

function entry(label: string, base: Results, rps: number, p95: number): ComparisonEntry {
  const api = base.api;
  if (!api) throw new Error('fixture without api');
  return {
    label,
    shards: label.startsWith('2') ? 2 : 1,
    api: { ...api, throughput: rps, latency: api.latency ? { ...api.latency, p95 } : null },
  };
}

describe('comparison section', () => {
  const base = generateResults();
  const results: Results = {
    ...base,
    comparison: [entry('1 shard', base, 50, 40), entry('2 shards <b>', base, 48, 60)],
  };

  it('validates against the results schema', () => {
    expect(() => validateResults(results, 'results.json')).not.toThrow();
    expect(() => validateResults({ ...base, comparison: [] }, 'results.json')).toThrow(/comparison/);
  });

  it('puts the passes side by side with bars on one scale and the change of the last vs the first', () => {
    const out = comparisonSection(results).value;
    expect(out).toContain('<th>1 shard</th>');
    expect(out).toContain('2 shards &lt;b&gt;');
    expect(out).not.toContain('2 shards <b>');
    expect(out).toMatch(/throughput −4 %/);
    expect(out).toMatch(/p95 \+50 %/);
    // Per-endpoint p95 changes for the endpoints that carry the load (same figures in both passes here).
    expect(out).toMatch(/<code>\w+<\/code> p95 \+0 %/);
    // The slower pass's p95 bar is the full width; the faster one two thirds of it.
    expect(out).toContain('width:100.0%');
    expect(out).toContain('width:66.7%');
  });

  it('appears in the report (with its nav link) only when the run compared something', () => {
    const assets = loadReportAssets();
    expect(renderReport(results, null, assets)).toContain('href="#comparison"');
    const plain = renderReport(base, null, assets);
    expect(plain).not.toContain('id="comparison"');
    expect(plain).not.toContain('href="#comparison"');
  });
});
