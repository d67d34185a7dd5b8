import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../toolkit/errors.ts';
import { comparisonEntry, shardLabel } from './compare-shards.ts';
import { loadConfig } from '../../toolkit/loadtest/config.ts';

const cwd = '/nonexistent-project';
const config = (argv: string[]): ReturnType<typeof loadConfig> => loadConfig(argv, {}, cwd);

describe('--shards and --compare-shards', () => {
  it('defaults to one shard and no comparison', () => {
    expect(config([])).toMatchObject({ shards: 1, compareShards: undefined });
    expect(config(['--shards', '3'])).toMatchObject({ shards: 3, compareShards: undefined });
  });

  it('runs the last count of a comparison as the main pass, without the browser under load', () => {
    const c = config(['--compare-shards', '1,2']);
    expect(c).toMatchObject({ shards: 2, compareShards: [1, 2] });
    expect(c.browserUnderLoad.enabled).toBe(false);
  });

  it('refuses bad counts and combinations, naming the flag', () => {
    for (const argv of [
      ['--shards', '0'],
      ['--shards', '9'],
      ['--compare-shards', '2'],
      ['--compare-shards', '1,x'],
      ['--compare-shards', '1,2', '--shards', '2'],
      ['--compare-shards', '1,2', '--target', 'http://127.0.0.1:1'],
    ]) {
      const err = (() => {
        try {
          config(argv);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, argv.join(' ')).toBeInstanceOf(ToolkitError);
      expect((err as ToolkitError).message, argv.join(' ')).toMatch(/--(compare-)?shards/);
    }
  });

  it('labels passes for people and keeps only the API and database summaries', () => {
    expect([shardLabel(1), shardLabel(2)]).toEqual(['1 shard', '2 shards']);
    expect(comparisonEntry(2, {})).toBeUndefined();
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
    expect(comparisonEntry(2, { api })).toEqual({ label: '2 shards', shards: 2, api });
  });
});
