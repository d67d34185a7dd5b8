/** The live status line: its fields, and a terminal's line rewritten in place once a second. */
import { describe, expect, it } from 'vitest';
import { startStatus, statusLine } from './progress.ts';

const snapshot = {
  elapsedMs: 40_000,
  totalMs: 60_000,
  vus: 10,
  vusMax: 20,
  iterations: 1203,
  interrupted: 0,
  requests: 1203,
  failedRequests: 12,
  checks: 1203,
  checksPassed: 1191,
};

describe('live status', () => {
  it('names the scenario, the clock, VUs, iterations, req/s, errors and checks', () => {
    expect(statusLine('load', snapshot, 0, 20.14)).toBe(
      'load  0:40/1:00  10 VUs  1203 iterations  20.1 req/s  1.0% errors  99.0% checks',
    );
    // Without the engine's snapshots (real k6) the clock alone.
    expect(statusLine('load', undefined, 5_000)).toBe('load  0:05');
  });

  it('rewrites one line on a terminal and clears it at the end', async () => {
    const chunks: string[] = [];
    const status = startStatus('load', { write: (c: string) => chunks.push(c), isTTY: true }, false);
    status.update(snapshot);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    status.close();
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[0]?.startsWith('\r\x1b[2K  load  0:40/1:00  10 VUs')).toBe(true);
    expect(chunks.every((c) => !c.includes('\n'))).toBe(true);
    expect(chunks.at(-1)).toBe('\r\x1b[2K');
  });

  it('writes nothing when quiet', async () => {
    const chunks: string[] = [];
    const status = startStatus('load', { write: (c: string) => chunks.push(c), isTTY: true }, true, 10);
    status.update(snapshot);
    await new Promise((resolve) => setTimeout(resolve, 50));
    status.close();
    expect(chunks).toEqual([]);
  });
});
