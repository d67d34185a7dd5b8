import { describe, expect, it } from 'vitest';
import { ToolkitError } from '../../../toolkit/errors.ts';
import { parseFlags, TARGETS } from './lighthouse-dashboard.ts';
import type { DashboardRun } from './lighthouse-run.ts';
import { scriptName, spreadOf, summarizeRuns } from './run-stats.ts';

function run(performance: number, tbtMs: number, extra: Partial<DashboardRun> = {}): DashboardRun {
  return {
    performance,
    tbtMs,
    fcpMs: 700,
    lcpMs: 1500,
    speedIndexMs: 900,
    ttiMs: 2000,
    cls: 0,
    mainThread: {
      scriptEvaluation: tbtMs * 2,
      scriptParseCompile: 40,
      styleLayout: 100,
      paintCompositeRender: 20,
      parseHTML: 10,
      garbageCollection: 5,
      other: 50,
      total: tbtMs * 2 + 225,
    },
    bootup: [{ url: '/framework.e4ef3012d0.js', scriptingMs: tbtMs, parseCompileMs: 10 }],
    longTasks: [{ url: '/main.6b14f982a6.js', startMs: 900, durationMs: tbtMs + 50 }],
    finalPath: '/dashboard',
    runWarnings: [],
    lighthouse: '12.8.2',
    ...extra,
  };
}

describe('statistics over the runs', () => {
  it('takes the median of each figure separately, with min and max, ignoring runs without it', () => {
    expect(spreadOf([0.91, 0.99, 0.95, null, 0.97, 0.93], 2)).toEqual({ median: 0.95, min: 0.91, max: 0.99 });
    expect(spreadOf([120, 80])).toEqual({ median: 100, min: 80, max: 120 });
    expect(spreadOf([null, null])).toBeNull();
  });

  it('summarises a mode: medians per figure (not those of one run), main-thread groups, scripts by chunk name', () => {
    const runs = [
      run(0.99, 40, { lcpMs: 2400 }),
      run(0.9, 400),
      run(0.97, 90, { runWarnings: ['slow'] }),
      run(0.98, 60),
      run(0.95, 120, { bootup: [] }),
    ];
    const s = summarizeRuns(runs);
    expect(s.runs).toBe(5);
    expect(s.performance).toEqual({ median: 0.97, min: 0.9, max: 0.99 });
    expect(s.tbtMs).toEqual({ median: 90, min: 40, max: 400 });
    expect(s.lcpMs).toEqual({ median: 1500, min: 1500, max: 2400 });
    expect(s.mainThread.scriptEvaluation).toEqual({ median: 180, min: 80, max: 800 });
    // The run that listed no framework.js counts as 0 for it: median of 40, 400, 90, 60, 0.
    expect(s.bootup).toEqual([{ script: 'framework.js', scriptingMs: 60, parseCompileMs: 10 }]);
    expect(s.longTasks).toEqual({ count: 1, totalMs: 140 });
    expect(s.runWarnings).toEqual(['slow']);
  });

  it('names a script without its content hash, so two builds compare', () => {
    expect(scriptName('/framework.e4ef3012d0.js')).toBe('framework.js');
    expect(scriptName('/route-dashboard.b7b0262ba6.js?x=1')).toBe('route-dashboard.js');
    expect(scriptName('Unattributable')).toBe('Unattributable');
  });
});

describe('lighthouse-dashboard flags', () => {
  it('defaults to 5 runs, cold and warm, against the targets', () => {
    expect(parseFlags([])).toMatchObject({ runs: 5, modes: ['cold', 'warm'], compare: undefined });
    expect(TARGETS).toEqual({ performance: 0.98, tbtMs: 150 });
    expect(parseFlags(['--runs', '3', '--modes', 'warm', '--compare', 'HEAD~2'])).toMatchObject({
      runs: 3,
      modes: ['warm'],
      compare: 'HEAD~2',
    });
  });

  it.each([
    [['--runs', '0'], /--runs must be an integer from 1 to 9/],
    [['--modes', 'hot'], /--modes must be cold, warm or cold,warm, got "hot"/],
    [['--url', 'http://example.com'], /--url must be a loopback origin/],
    [['--compare'], /--compare needs a value/],
    [['--runs', '--quiet'], /--runs needs a value/],
    [['--compare', 'HEAD', '--url', 'http://127.0.0.1:3000'], /cannot be combined with --url/],
    [['--fast'], /unknown argument "--fast"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(ToolkitError);
    expect(() => parseFlags(argv)).toThrow(message);
  });
});
