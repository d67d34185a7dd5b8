/**
 * k6/timers, Response.submitForm()/clickLink() and the module allow-list through the real engine:
 * worker VUs, the bundle, a loopback server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../../../test/support/loopback.ts';
import type { RunOutcome } from '../../k6-core/index.ts';
import { runBuiltin } from '../index.ts';

let server: Server;
let baseUrl = '';
const dir = mkdtempSync(join(tmpdir(), 'perfkit-vu-modules-'));

const PAGE = `<html><body>
<form id="search" action="/echo?old=1" method="get"><input name="q" value="k6 docs"><input name="z" value="1"></form>
<form id="login" action="echo" method="post"><input name="user" value="ada"><input type="submit" name="go" value="Sign in"></form>
<a id="rel" href="../json?x=1">next</a><a id="nohref">none</a>
</body></html>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url?.startsWith('/dir/page')) return void res.setHeader('content-type', 'text/html').end(PAGE);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, body, type: req.headers['content-type'] ?? '' }));
    });
  });
  baseUrl = await listenLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  rmSync(dir, { recursive: true, force: true });
});

async function run(name: string, source: string): Promise<RunOutcome & { err: string }> {
  const script = join(dir, `${name}.js`);
  writeFileSync(script, source);
  let err = '';
  const outcome = await runBuiltin({
    script,
    env: { BASE_URL: baseUrl },
    quiet: true,
    processEnv: process.env,
    stdout: { write: () => undefined },
    stderr: { write: (s: string) => (err += s) },
  });
  return { ...outcome, err };
}

/** The JSON each console.log line carried, in order. */
const logged = (err: string): unknown[] =>
  [...err.matchAll(/level=info msg="(.*)" source=console/g)].map((m) => JSON.parse(JSON.parse(`"${m[1]}"`)));

describe('k6/timers', () => {
  it('runs callbacks in timeout order with their arguments, repeats intervals, and the iteration waits for them', async () => {
    // The iteration holds its thread for 100 ms after arming the timers, so every one is overdue when
    // it returns: they run in the order they fell due, whatever the machine's load. An interval is due
    // again its delay after its callback ran (k6 re-arms it from time.Now() after the call), so tick 2
    // falls due after the timeouts at 80 and 90 ms.
    const o = await run(
      'timers-order',
      `import { setTimeout, clearTimeout, setInterval, clearInterval } from 'k6/timers';
export const options = { vus: 1, iterations: 2 };
export default function () {
  const order = [];
  let ticks = 0;
  const iv = setInterval(() => {
    ticks++;
    order.push('tick' + ticks);
    if (ticks < 3) return;
    clearInterval(iv);
    console.log(JSON.stringify({ order, iter: __ITER }));
  }, 15);
  setTimeout((a, b) => order.push(a + b), 80, 'late', '@80');
  setTimeout(() => order.push('early@5'), 5);
  clearTimeout(setTimeout(() => order.push('cleared'), 1));
  // The globals are k6's timers too.
  globalThis.setTimeout(() => order.push('global@90'), 90);
  order.push('sync');
  const busyUntil = Date.now() + 100;
  while (Date.now() < busyUntil) {}
}`,
    );
    expect(o.exitCode, o.err).toBe(0);
    const expected = ['sync', 'early@5', 'tick1', 'late@80', 'global@90', 'tick2', 'tick3'];
    expect(logged(o.err)).toEqual([
      { order: expected, iter: 0 },
      { order: expected, iter: 1 },
    ]);
    // Tick 3 falls due 2 × 15 ms after tick 1 ran (at 100 ms or later): the iteration waited for it.
    expect(o.summary?.metrics.iteration_duration?.values.min).toBeGreaterThanOrEqual(130);
  });

  it('fails the iteration when a callback throws (logged, pending timers dropped) and goes on with the next', async () => {
    const o = await run(
      'timers-throw',
      `export const options = { vus: 1, iterations: 2 };
export default function () {
  setTimeout(() => { throw new Error('timer boom ' + __ITER); }, 5);
  setTimeout(() => console.log(JSON.stringify({ never: __ITER })), 200);
}`,
    );
    expect(o.exitCode, o.err).toBe(0);
    expect(o.err).toMatch(/level=error msg="Error: timer boom 0/);
    expect(o.err).toMatch(/level=error msg="Error: timer boom 1/);
    // Only the script's frames: none of the timer plumbing.
    expect(o.err).toMatch(/timer boom 0\\n\\tat file:\/\/\/\S+timers-throw\.js:3:\d+\\n/);
    expect(o.err).not.toMatch(/k6-timers|node:internal\/timers/);
    expect(logged(o.err)).toEqual([]);
    expect(o.summary?.metrics.iterations?.values.count).toBe(2);
  });

  it('an iteration interrupted while its timers are pending stops them with k6 warning', async () => {
    const started = Date.now();
    const o = await run(
      'timers-interrupt',
      `export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '300ms', gracefulStop: '0s' } } };
export default function () { setTimeout(() => console.log('"fired"'), 20000); }`,
    );
    expect(o.exitCode, o.err).toBe(0);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(o.err).toContain('setTimeout 1 was stopped because the VU iteration was interrupted');
    expect(logged(o.err)).toEqual([]);
  });

  it("refuses a callback that isn't a function, as k6 does", async () => {
    const o = await run(
      'timers-bad',
      `export const options = { vus: 1, iterations: 1 };
export default function () { setTimeout('code', 5); }`,
    );
    expect(o.err).toContain("setTimeout's callback isn't a callable function");
  });
});

describe('Response.submitForm and clickLink', () => {
  it('submits a GET form as its query, a POST form as a sorted body with the submit button, and resolves links', async () => {
    const o = await run(
      'forms',
      `import http from 'k6/http';
export const options = { vus: 1, iterations: 1 };
export default function () {
  const page = http.get(__ENV.BASE_URL + '/dir/page');
  const get = page.submitForm({ formSelector: '#search', fields: { extra: 'a&b' } });
  const post = page.submitForm({ formSelector: '#login', fields: { pass: 's3' } });
  const link = page.clickLink({ selector: '#rel' });
  const errors = [];
  for (const f of [() => page.submitForm({ formSelector: '#nope' }), () => page.clickLink({ selector: '#nohref' })]) {
    try { f(); } catch (e) { errors.push(String(e.message).replace(__ENV.BASE_URL, 'BASE')); }
  }
  console.log(JSON.stringify({ get: get.json(), post: post.json(), link: link.json('url'), linkUrl: link.url.replace(__ENV.BASE_URL, ''), errors }));
}`,
    );
    expect(o.exitCode, o.err).toBe(0);
    expect(logged(o.err)).toEqual([
      {
        get: { method: 'GET', url: '/echo?extra=a%26b&q=k6+docs&z=1', body: '', type: '' },
        post: {
          method: 'POST',
          url: '/dir/echo',
          body: 'go=Sign+in&pass=s3&user=ada',
          type: 'application/x-www-form-urlencoded',
        },
        link: '/json?x=1',
        linkUrl: '/json?x=1',
        errors: [
          "no form found for selector '#nope' in response 'BASE/dir/page'",
          "no valid href attribute value found on element '#nohref' in response 'BASE/dir/page'",
        ],
      },
    ]);
    expect(o.summary?.metrics.http_reqs?.values.count).toBe(4);
  });
});

describe('module allow-list', () => {
  it('a module the built-in runner lacks fails at start (exit 107), naming it and the ones it provides', async () => {
    const o = await run('ws', `import ws from 'k6/ws';\nexport default function () { ws.connect('x'); }`);
    expect(o.exitCode).toBe(107);
    expect(o.err).toContain('imports \\"k6/ws\\", which the built-in runner does not provide');
    expect(o.err).toContain('k6/html, k6/encoding, k6/crypto, k6/timers');
    expect(o.summary?.metrics.iterations).toBeUndefined();
  });
});
