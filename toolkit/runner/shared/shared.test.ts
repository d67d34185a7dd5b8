/** The shared VU model end to end, against a real loopback server: suspension in callbacks, isolation, refusals. */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../../test/support/loopback.ts';
import type { RunOutcome } from '../../k6-core/index.ts';
import { runBuiltin } from '../index.ts';

const FIX = join(import.meta.dirname, 'fixtures');
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => res.end(`ok ${req.url}`));
  baseUrl = await listenLoopback(server);
});
afterAll(() => closeServer(server));

async function run(script: string, vuModel: 'shared' | 'auto' | 'isolate'): Promise<RunOutcome & { err: string }> {
  let err = '';
  const outcome = await runBuiltin({
    script: join(FIX, script),
    env: { BASE_URL: baseUrl },
    vuModel,
    quiet: true,
    processEnv: process.env,
    stderr: { write: (s: string) => (err += s) },
  });
  return { ...outcome, err };
}

const metric = (o: RunOutcome, name: string, stat = 'count'): number | undefined =>
  o.summary?.metrics[name]?.values[stat];

describe('shared VU model', () => {
  it('awaits the callbacks of forEach, map, filter, reduce, sort, find, replace, Map#forEach and Array.from', async () => {
    const o = await run('callbacks.js', 'shared');
    expect(o.exitCode, o.err).toBe(0);
    expect(o.vuModel).toBe('shared');
    // 4 iterations × 16 requests, each awaited where k6 would block.
    expect(metric(o, 'http_reqs')).toBe(64);
    expect(metric(o, 'iterations')).toBe(4);
    expect(metric(o, 'checks', 'fails')).toBe(0);
    expect(metric(o, 'checks', 'passes')).toBe(36);
    const group = o.summary!.root_group.groups.find((g) => g.name === 'g');
    expect(group?.checks[0]).toMatchObject({ name: 'group request ok', passes: 4, fails: 0 });
  });

  it('gives the same counts and checks as the isolate model', async () => {
    const iso = await run('callbacks.js', 'isolate');
    expect(iso.vuModel).toBe('isolate');
    expect(metric(iso, 'http_reqs')).toBe(64);
    expect(metric(iso, 'checks', 'passes')).toBe(36);
  });

  it('suspends only the sleeping VU: 20 VUs sleeping 1 s take about 1 s, not 20', async () => {
    const o = await run('sleepers.js', 'shared');
    expect(o.exitCode, o.err).toBe(0);
    expect(metric(o, 'iterations')).toBe(20);
    expect(o.durationMs).toBeLessThan(6000);
    const vus = new Set([...o.err.matchAll(/vu (\d+) iter 0/g)].map((m) => m[1]));
    expect(vus.size).toBe(20);
  });

  it('refuses a script whose getter makes a request, naming the construct and where it is', async () => {
    const o = await run('getter.js', 'shared');
    expect(o.exitCode).toBe(104);
    expect(o.summary).toBeNull();
    expect(o.err).toMatch(/http\.get\(\) called in a getter .* at file:\/\/\/.*getter\.js:\d+:\d+/);
    expect(o.err).toContain('--vu-model isolate');
  });

  it('auto runs such a script on the isolate model, saying why in one line', async () => {
    const o = await run('getter.js', 'auto');
    expect(o.exitCode, o.err).toBe(0);
    expect(o.vuModel).toBe('isolate');
    expect(metric(o, 'http_reqs')).toBe(1);
    const lines = o.err.split('\n').filter((l) => l.includes('shared VU model'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/level=warning .*http\.get\(\) called in a getter.*runs on the isolate model/);
  });
});
