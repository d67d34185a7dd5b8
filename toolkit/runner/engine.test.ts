/** Engine tests against a real loopback server: executors' counts vs their schedules, lifecycle, errors, aborts. */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../test/support/loopback.ts';
import { validateSummaryShape, type RunOutcome } from '../k6-core/index.ts';
import { runBuiltin } from './index.ts';

const FIX = join(import.meta.dirname, 'fixtures');
let server: Server;
let baseUrl = '';
let served = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    served++;
    if (req.url === '/set') res.setHeader('set-cookie', 'sid=abc; Path=/; HttpOnly');
    if (req.url === '/echo-ua') return void res.end(req.headers['user-agent'] ?? '');
    if (req.url === '/echo-auth') return void res.end(req.headers.authorization ?? '');
    res.end(req.url === '/echo-cookie' ? (req.headers.cookie ?? '') : 'ok');
  });
  baseUrl = await listenLoopback(server);
});

afterAll(() => closeServer(server));

async function run(
  options: unknown,
  extraEnv: Record<string, string> = {},
  script = 'generic.js',
): Promise<RunOutcome & { err: string; out: string; vusMax: number }> {
  let err = '';
  let out = '';
  let vusMax = 0;
  const outcome = await runBuiltin({
    // vus_max is a metric only on 1 s ticks (absent from short runs, as in k6); progress always has it.
    onProgress: (p) => (vusMax = Math.max(vusMax, p.vusMax)),
    script: join(FIX, script),
    env: { BASE_URL: baseUrl, OPTIONS: JSON.stringify(options), ...extraEnv },
    quiet: true,
    processEnv: process.env,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { ...outcome, err, out, vusMax };
}

const count = (o: RunOutcome, metric: string, stat = 'count'): number | undefined =>
  o.summary?.metrics[metric]?.values[stat];

describe('executors follow their schedules', () => {
  it('per-vu-iterations: every VU runs its iterations; setup data reaches VUs and teardown', async () => {
    const o = await run({ scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } } });
    expect(o.exitCode, o.err).toBe(0);
    expect(count(o, 'iterations')).toBe(12);
    expect(o.vusMax).toBe(3);
    expect(o.err).toContain('teardown got {\\"token\\":\\"from-setup\\",\\"n\\":3}');
    expect(validateSummaryShape(o.summary!)).toEqual([]);
  });

  it('constant-vus: VUs loop for the duration', async () => {
    const o = await run({ vus: 2, duration: '1s' }, { SLEEP: '0.1', CHECK_EXEC: '1' });
    expect(o.exitCode).toBe(0);
    const checks = o.summary?.root_group.checks ?? [];
    expect(checks).toHaveLength(2);
    expect(checks.every((c) => c.fails === 0 && c.passes > 0)).toBe(true);
    // At most 2 VUs × 1 s / 100 ms (+1 each started before the end); fewer only when the box is very slow.
    expect(count(o, 'iterations')).toBeGreaterThanOrEqual(6);
    expect(count(o, 'iterations')).toBeLessThanOrEqual(22);
    // Bounded by the duration plus the last iteration (gracefulStop is not needed), not by speed.
    expect(o.durationMs).toBeLessThan(3000);
  });

  it('ramping-arrival-rate starts the integral of its rate (0→20/s over 1 s, then 20/s for 1 s = 30)', async () => {
    const o = await run({
      scenarios: {
        r: {
          executor: 'ramping-arrival-rate',
          startRate: 0,
          timeUnit: '1s',
          preAllocatedVUs: 4,
          maxVUs: 8,
          stages: [
            { duration: '1s', target: 20 },
            { duration: '1s', target: 20 },
          ],
        },
      },
    });
    expect(o.exitCode).toBe(0);
    // Every scheduled start either ran or, with no idle VU at that instant, was dropped.
    expect((count(o, 'iterations') ?? 0) + (count(o, 'dropped_iterations') ?? 0)).toBe(30);
    expect(count(o, 'iterations')).toBeGreaterThanOrEqual(25);
  });

  it('constant-arrival-rate drops iterations when maxVUs is too low, and never exceeds maxVUs', async () => {
    const o = await run(
      {
        scenarios: {
          a: {
            executor: 'constant-arrival-rate',
            rate: 20,
            timeUnit: '1s',
            duration: '1s',
            preAllocatedVUs: 1,
            maxVUs: 2,
          },
        },
      },
      { SLEEP: '0.3' },
    );
    const done = count(o, 'iterations') ?? 0;
    const dropped = count(o, 'dropped_iterations') ?? 0;
    // 20/s for 1 s starts at 0, 50, …, 950 ms and, as in k6, at t = duration: 21.
    expect(done + dropped).toBe(21);
    expect(dropped).toBeGreaterThanOrEqual(10);
    expect(o.vusMax).toBeLessThanOrEqual(2);
  });

  it('--iterations/--vus style overrides replace the script scenarios', async () => {
    let vusMax = 0;
    const o = await runBuiltin({
      script: join(FIX, 'generic.js'),
      env: {
        BASE_URL: baseUrl,
        OPTIONS: JSON.stringify({ scenarios: { s: { executor: 'per-vu-iterations', vus: 5, iterations: 5 } } }),
      },
      options: { vus: 2, iterations: 3 },
      quiet: true,
      onProgress: (p) => (vusMax = Math.max(vusMax, p.vusMax)),
    });
    expect(count(o, 'iterations')).toBe(3);
    expect(vusMax).toBe(2);
  });
});

describe('lifecycle and errors', () => {
  it('bundles TypeScript with relative imports', async () => {
    const o = await run({}, {}, 'typed.ts');
    expect(o.exitCode, o.err).toBe(0);
    expect(o.summary?.root_group.checks).toEqual([expect.objectContaining({ name: 'four', passes: 2, fails: 0 })]);
  });

  it('parses response cookies, empties the VU jar at each iteration, applies options.userAgent', async () => {
    const o = await run({}, {}, 'cookies.js');
    expect(o.exitCode, o.err).toBe(0);
    expect(o.summary?.root_group.checks.map((c) => [c.name, c.passes, c.fails])).toEqual([
      ['jar empty at iteration start', 2, 0],
      ['response.cookies parsed', 2, 0],
      ['jar sends it back', 2, 0],
      ['options.userAgent sent', 2, 0],
      ['basic auth from URL', 2, 0],
    ]);
  });

  it('an exception in the init context exits 107', async () => {
    const o = await run({}, {}, 'broken-init.js');
    expect(o.exitCode).toBe(107);
    expect(o.err).toContain('init exploded');
  });

  it('an unsupported k6 module fails at start (exit 107), naming it and pointing to real k6', async () => {
    const o = await run({}, {}, 'uses-ws.js');
    expect(o.exitCode).toBe(107);
    expect(o.summary).toBeNull();
    expect(o.err).toMatch(
      /level=error msg="could not initialize '.*uses-ws\.js': could not load JS test 'file:.*k6\/ws/,
    );
    expect(o.err).toMatch(/^hint: .*--engine k6/m);
  });

  it('a throwing handleSummary falls back to the default summary and exits 0', async () => {
    const o = await run({}, {}, 'bad-summary.js');
    expect(o.exitCode).toBe(0);
    expect(o.err).toContain('summary exploded');
    expect(o.out).toContain('iterations');
  });

  it('exec.test.abort() stops the run with exit 108', async () => {
    const o = await run({ vus: 1, duration: '20s' }, { ABORT_AT: '5' });
    expect(o.exitCode).toBe(108);
    expect(o.durationMs).toBeLessThan(5000);
  });

  it('an abort signal stops every VU and exits 105', async () => {
    const ctl = new AbortController();
    const before = served;
    // Abort once requests flow, not after a fixed delay: on a busy machine VU start-up alone can take longer.
    const watch = setInterval(() => {
      if (served > before) ctl.abort();
    }, 20);
    const o = await runBuiltin({
      script: join(FIX, 'generic.js'),
      env: { BASE_URL: baseUrl, OPTIONS: '{"vus":3,"duration":"30s"}' },
      signal: ctl.signal,
      quiet: true,
    }).finally(() => clearInterval(watch));
    expect(o.exitCode).toBe(105);
    expect(o.durationMs).toBeLessThan(3000);
    const after = served;
    await new Promise((r) => setTimeout(r, 200));
    expect(served).toBe(after);
    expect(after).toBeGreaterThan(before);
  });
});
