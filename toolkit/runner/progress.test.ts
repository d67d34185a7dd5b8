/** Progress as k6 2.x prints it: its fixed-length clock, and when the lines are written. */
import { describe, expect, it } from 'vitest';
import type { Progress } from '../k6-core/index.ts';
import { createProgressWriter, fixedLengthDuration, progressLine } from './progress.ts';

const snap = (elapsedMs: number, iterations = 0): Progress => ({
  elapsedMs,
  totalMs: 3000,
  vus: 1,
  vusMax: 2,
  iterations,
  interrupted: 0,
});

describe('progress', () => {
  it.each([
    [100, 630_000, '00m00.1s'], // c15: 10m30s max duration
    [1000, 33_000, '01.0s'], // c19: 3 s of stages + 30 s graceful stop
    [3049, 9000, '3.0s'],
    [65_000, 300_000, '1m05.0s'],
    [3_725_000, 4 * 3_600_000, '1h02m05.0s'],
  ])('writes %d ms of a %d ms test as k6 does: %s', (ms, max, text) => {
    expect(fixedLengthDuration(ms, max)).toBe(text);
  });

  it('says running, VUs and iterations in k6 words', () => {
    expect(progressLine(snap(1000, 3), 33_000)).toBe(
      'running (01.0s), 1/2 VUs, 3 complete and 0 interrupted iterations',
    );
  });

  it('off a terminal: a block a second while running, the last one only on flush (after the summary)', () => {
    let out = '';
    const w = createProgressWriter({ write: (s: string) => (out += s) }, false, 33_000);
    w.update(snap(500));
    expect(out).toBe('');
    w.update(snap(1000, 1));
    w.update(snap(1500, 2));
    expect(out).toBe('\nrunning (01.0s), 1/2 VUs, 1 complete and 0 interrupted iterations\n');
    w.done(snap(3000, 5));
    out = '';
    w.flush();
    w.flush();
    expect(out).toBe('\nrunning (03.0s), 1/2 VUs, 5 complete and 0 interrupted iterations\n');
  });

  it('-q: nothing at all', () => {
    let out = '';
    const w = createProgressWriter({ write: (s: string) => (out += s) }, true);
    w.update(snap(2000));
    w.done(snap(3000));
    w.flush();
    expect(out).toBe('');
  });
});
