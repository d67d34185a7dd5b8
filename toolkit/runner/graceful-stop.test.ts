/**
 * A `default` that never returns ends at its gracefulStop: a loop of requests
 * is interrupted at its next request, with a warning naming the VU and the
 * iteration, and the requests it made are counted; a loop with no k6 call at
 * all has its VU thread stopped, with a warning naming both.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import { runBuiltin } from './index.ts';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  base = await listenLoopback(server);
});
afterAll(() => closeServer(server));

async function run(transport: 'vu' | 'shared', spin: boolean) {
  let err = '';
  const outcome = await runBuiltin({
    script: join(import.meta.dirname, 'fixtures/endless.js'),
    env: { BASE_URL: base, SPIN: spin ? '1' : '0' },
    quiet: true,
    noSummary: true,
    httpTransport: transport,
    // The isolate model's transports (the shared VU model has its own client, shared/net-http.ts).
    vuModel: 'isolate',
    processEnv: process.env,
    stderr: { write: (s: string) => (err += s) },
  });
  return { outcome, err };
}

describe('a default function that never returns', () => {
  for (const transport of ['vu', 'shared'] as const)
    it(`${transport}: a loop of requests ends at gracefulStop, warned about, its requests counted`, async () => {
      const { outcome, err } = await run(transport, false);
      expect(outcome.exitCode, err).toBe(0);
      expect(err).toContain('VU 1 iteration 0 of scenario "s" was cut short (the end of its gracefulStop');
      expect(outcome.summary?.metrics.http_reqs?.values.count ?? 0).toBeGreaterThan(10);
      expect(outcome.durationMs).toBeLessThan(10_000);
    });

  it('a loop with no k6 call: the VU thread is stopped, with a warning naming VU and iteration', async () => {
    const { outcome, err } = await run('vu', true);
    expect(outcome.exitCode, err).toBe(0);
    expect(err).toContain('VU 1 did not return from iteration 0 of scenario "s" by the end of its gracefulStop');
    // k6's own line for a run in which no iteration finished.
    expect(err).toContain(
      'level=warning msg="No script iterations fully finished, consider making the test duration longer"',
    );
  });
});
