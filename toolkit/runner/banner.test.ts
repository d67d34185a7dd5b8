/** The execution description against what k6 v2.2.0 printed for the conformance scripts' options. */
import { describe, expect, it } from 'vitest';
import { planRun } from '../k6-core/index.ts';
import { executionDescription, goDuration } from './banner.ts';

const describeOptions = (options: object, script = 'x.js', outputs: string[] = []): string[] =>
  executionDescription(script, outputs, planRun(options)).split('\n');

describe('execution description', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1.5, '1.5ms'],
    [1850, '1.85s'],
    [60_000, '1m0s'],
    [630_000, '10m30s'],
    [3_600_000, '1h0m0s'],
  ])('writes %d ms as Go does: %s', (ms, text) => expect(goDuration(ms)).toBe(text));

  it('c15: one shared-iterations scenario', () => {
    const lines = describeOptions({ scenarios: { main: { executor: 'shared-iterations', iterations: 10 } } }, 'c15.js');
    expect(lines).toEqual([
      '',
      '     execution: local',
      '        script: c15.js',
      '        output: -',
      '',
      '     scenarios: (100.00%) 1 scenario, 1 max VUs, 10m30s max duration (incl. graceful stop):',
      '              * main: 10 iterations shared among 1 VUs (maxDuration: 10m0s, gracefulStop: 30s)',
      '',
      '',
    ]);
  });

  it('c07: overlapping scenarios add up their VUs; exec and startTime are named', () => {
    const lines = describeOptions({
      scenarios: {
        writers: { executor: 'per-vu-iterations', vus: 1, iterations: 4, startTime: '1s', exec: 'write' },
        readers: { executor: 'constant-vus', vus: 2, duration: '2s', exec: 'read' },
      },
    });
    expect(lines.slice(5, 8)).toEqual([
      '     scenarios: (100.00%) 2 scenarios, 3 max VUs, 10m31s max duration (incl. graceful stop):',
      '              * readers: 2 looping VUs for 2s (exec: read, gracefulStop: 30s)',
      '              * writers: 4 iterations for each of 1 VUs (maxDuration: 10m0s, exec: write, startTime: 1s, gracefulStop: 30s)',
    ]);
  });

  it('c13/c14: arrival rates, their VU ranges, and a max duration rounded to 100 ms', () => {
    const vus = { preAllocatedVUs: 1, maxVUs: 2, exec: 'busy' };
    const lines = describeOptions({
      scenarios: {
        car: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1850ms', ...vus },
        ramp: {
          executor: 'ramping-arrival-rate',
          startRate: 10,
          timeUnit: '1s',
          stages: [{ duration: '1850ms', target: 10 }],
          ...vus,
        },
      },
    });
    expect(lines.slice(5, 8)).toEqual([
      '     scenarios: (100.00%) 2 scenarios, 4 max VUs, 31.9s max duration (incl. graceful stop):',
      '              * car: 10.00 iterations/s for 1.85s (maxVUs: 1-2, exec: busy, gracefulStop: 30s)',
      '              * ramp: Up to 10.00 iterations/s for 1.85s over 1 stages (maxVUs: 1-2, exec: busy, gracefulStop: 30s)',
    ]);
  });

  it('c19: stages become a ramping-vus default scenario; outputs are listed', () => {
    const lines = describeOptions({ stages: [{ duration: '3s', target: 3 }] }, 'c19.js', ['json (out.ndjson)']);
    expect(lines[3]).toBe('        output: json (out.ndjson)');
    expect(lines.slice(5, 7)).toEqual([
      '     scenarios: (100.00%) 1 scenario, 3 max VUs, 33s max duration (incl. graceful stop):',
      '              * default: Up to 3 looping VUs for 3s over 1 stages (gracefulRampDown: 30s, gracefulStop: 30s)',
    ]);
  });
});
