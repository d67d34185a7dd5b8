import { describe, expect, it } from 'vitest';
import { comparisonEntry, shardLabel, withComparison } from './compare-shards.ts';
import { resolveRigOptions } from './options.ts';
import { generateResults } from '../../toolkit/results/fixtures/generate.ts';
import type { Target } from '../../toolkit/target/index.ts';

const api = {
  responseTime: 1,
  throughput: 2,
  errorRate: 0,
  requests: 3,
  durationMs: 4,
  latency: null,
  endpoints: [],
  checks: [],
  thresholds: [],
};

describe('shard comparison', () => {
  it('labels passes for people and keeps only the API and database summaries', () => {
    expect([shardLabel(1), shardLabel(2)]).toEqual(['1 shard', '2 shards']);
    expect(comparisonEntry(2, {})).toBeUndefined();
    expect(comparisonEntry(2, { api })).toEqual({ label: '2 shards', shards: 2, api });
  });

  it('adds every pass, the main one last, to the main pass results', () => {
    const target: Target = {
      baseUrl: 'http://127.0.0.1:1',
      pages: [],
      samplers: [],
      identity: { label: 'reference app', settings: {} },
      stop: async () => undefined,
    };
    const earlier = [{ label: '1 shard', shards: 1, api }];
    const results = generateResults();
    withComparison(target, resolveRigOptions({ 'compare-shards': '1,2' }, undefined, []), earlier).completeResults?.(
      results,
    );
    expect(results.comparison?.map((p) => p.label)).toEqual(['1 shard', '2 shards']);
    expect(results.comparison?.[1]?.api).toBe(results.api);
  });
});
