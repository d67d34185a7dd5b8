/** The shared model's compile step on small modules: what becomes async and awaited, what is refused and where. */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileForSharedVus } from './transform.ts';

const compile = (src: string) => compileForSharedVus(src, 'file:///s.js');

/** Runs a compiled module against a fake k6 whose sleep() resolves later; returns its exports. */
async function evaluate(src: string, k6: Record<string, unknown>): Promise<Record<string, unknown>> {
  const c = compile(src);
  if (!c.ok) throw new Error(JSON.stringify(c.unsupported));
  const exportsObj: Record<string, unknown> = {};
  await (vm.runInThisContext(c.code) as (k: unknown, e: unknown) => Promise<void>)((n: string) => k6[n], exportsObj);
  return exportsObj;
}

describe('compileForSharedVus', () => {
  it('turns the module into a function of (k6 lookup, exports) whose functions suspend at k6 calls', async () => {
    const order: string[] = [];
    const k6 = { k6: { sleep: (s: number) => new Promise((r) => setTimeout(() => r(order.push(`slept ${s}`)), 5)) } };
    const mod = await evaluate(
      `import { sleep } from 'k6';
       function step(n) { sleep(n); return n * 2; }
       const obj = { twice(n) { return step(n) + step(n); } };
       function run(status = step(1)) { return [status, obj.twice(2)]; }
       export { run as default };`,
      k6,
    );
    const result = await (mod.default as () => Promise<unknown>)();
    expect(result).toEqual([2, 8]);
    expect(order).toEqual(['slept 1', 'slept 2', 'slept 2']);
  });

  it('keeps getters, constructors and generators synchronous', () => {
    const c = compile(
      'class A { constructor() { this.x = [1].map((v) => v); } get y() { return 1; } *g() { yield 1; } }\nexport { A };',
    );
    expect(c.ok).toBe(true);
    if (c.ok) {
      expect(c.code).toContain('constructor() {');
      expect(c.code).toContain('get y() {');
      expect(c.code).toContain('*g() {');
    }
  });

  it('awaits a call before an optional chain, refuses a call reached only past ?.', () => {
    const ok = compile('function h() { return 1; }\nfunction f(r) { return h(r)?.toString(); }\nexport { f };');
    expect(ok.ok).toBe(true);
    const bad = compile('function f(a) { return a?.b().c; }\nexport { f };');
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.unsupported[0]).toEqual({
        construct: 'an optional chain that goes on after a call',
        where: 'file:///s.js:1:24',
      });
  });

  it('leaves functions that never reach a k6 call synchronous and calls them without await', () => {
    const c = compile(
      [
        "import { sleep } from 'k6';",
        'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }',
        'const api = { pause() { sleep(1); } };',
        'function work() { return [1, 2].map((x) => fib(x)).join(",") + Math.max(1, 2); }',
        'function viaMethod() { api.pause(); }',
        'function f() { work(); viaMethod(); }',
        'export { f as default };',
      ].join('\n'),
    );
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.code).toContain('function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }');
    expect(c.code).toContain('function work() { return [1, 2].map((x) => fib(x)).join(",") + Math.max(1, 2); }');
    expect(c.code).toContain('async function viaMethod() { (await api.pause()); }');
    expect(c.code).toContain('async function f() { work(); (await viaMethod()); }');
  });

  it('names each construct it refuses, with line and column', () => {
    const c = compile(
      [
        "import http from 'k6/http';",
        'function helper() { return http.get("y"); }',
        'const o = { get a() { return http.get("x"); }, toString() { return helper(); } };',
        'function f() { setTimeout(() => 1, 1); JSON.parse("{}", (k, v) => v); }',
        'export { f as default, o };',
      ].join('\n'),
    );
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.unsupported.map((u) => `${u.construct} @${u.where.split(':').slice(-2).join(':')}`)).toEqual([
      'http.get() called in a getter (it cannot suspend there) @3:30',
      "helper() called in a toString() method (the script's functions are async in the shared model) @3:68",
      'setTimeout (timers) @4:16',
      'JSON.parse/stringify with a reviver or replacer (its callback cannot suspend) @4:40',
    ]);
  });
});
