import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../toolkit/loadtest/config.ts';
import { REFERENCE_APP } from './reference-target.ts';

const cfg = (argv: string[]): ReturnType<typeof loadConfig> => loadConfig(argv, {}, '/nonexistent-project');

describe('loadtest auto-scaling options', () => {
  it('starts the app under its supervisor (1..4) when the scenarios include autoscale, else a fixed count', () => {
    expect(cfg(['--scenario', 'autoscale']).autoscale).toEqual({ min: 1, max: 4 });
    expect(cfg(['--scenario', 'smoke,load']).autoscale).toBeUndefined();
    expect(cfg(['--min-instances', '2', '--max-instances', '3']).autoscale).toEqual({ min: 2, max: 3 });
    expect(cfg(['--max-instances', '6']).autoscale).toEqual({ min: 1, max: 6 });
  });

  it('refuses limits that cannot work, naming the flags', () => {
    expect(() => cfg(['--min-instances', '3', '--max-instances', '2'])).toThrow(/--min-instances 3 --max-instances 2/);
    expect(() => cfg(['--instances', '2', '--min-instances', '1'])).toThrow(/--instances cannot be combined/);
    expect(() => cfg(['--scenario', 'autoscale', '--nginx'])).toThrow(/--nginx/);
  });

  it('passes the limits on the app command line', () => {
    expect(REFERENCE_APP.app(3000, 2, { min: 1, max: 4 })).toEqual([
      'scripts/app.ts',
      '--min-instances',
      '1',
      '--max-instances',
      '4',
      '--port',
      '3000',
    ]);
    expect(REFERENCE_APP.app(3000, 2)).toEqual(['scripts/app.ts', '--instances', '2', '--port', '3000']);
  });
});
