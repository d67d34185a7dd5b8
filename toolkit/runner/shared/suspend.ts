/**
 * Callback-taking built-ins of a VU's own realm, made suspension-aware: given an async callback
 * (the script's functions are all async in the shared model) they await it at each step and
 * return a promise, which the compiled script awaits; given a plain function (the runtime's own
 * code) they are the originals. Runs inside each VU's vm context (installSuspendable.toString()),
 * so the arrays they build belong to that realm.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export function installSuspendable(g: any): void {
  const AsyncFunction = (async () => undefined).constructor;
  const isAsync = (f: unknown): boolean => typeof f === 'function' && f instanceof AsyncFunction;
  const define = (target: any, name: string, fn: (...a: any[]) => any): void => {
    const orig = target[name];
    const wrapped = {
      [name](this: any, ...args: any[]): any {
        return isAsync(args[0]) ||
          (name === 'from' && isAsync(args[1])) ||
          (name.startsWith('replace') && isAsync(args[1]))
          ? fn.apply(this, [orig, ...args])
          : orig.apply(this, args);
      },
    }[name]!;
    Object.defineProperty(wrapped, 'length', { value: orig.length });
    Object.defineProperty(target, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
  };
  const AP = g.Array.prototype;
  const each = async (self: any, fn: any, thisArg: any, step: (v: any, i: number, r: any) => boolean | void) => {
    const o = Object(self);
    const n = o.length >>> 0;
    for (let i = 0; i < n; i++) if (i in o && step(o[i], i, await fn.call(thisArg, o[i], i, o)) === false) return;
  };
  define(AP, 'forEach', async function (this: any, _o, fn, t) {
    await each(this, fn, t, () => undefined);
  });
  define(AP, 'map', async function (this: any, _o, fn, t) {
    const out = new g.Array(Object(this).length >>> 0);
    await each(this, fn, t, (_v, i, r) => void (out[i] = r));
    return out;
  });
  define(AP, 'filter', async function (this: any, _o, fn, t) {
    const out: any[] = new g.Array();
    await each(this, fn, t, (v, _i, r) => void (r && out.push(v)));
    return out;
  });
  define(AP, 'flatMap', async function (this: any, _o, fn, t) {
    const out: any[] = new g.Array();
    await each(this, fn, t, (_v, _i, r) => void (g.Array.isArray(r) ? out.push(...r) : out.push(r)));
    return out;
  });
  const finder = (name: string, result: (v: any, i: number) => any, none: any, fromEnd = false): void =>
    define(AP, name, async function (this: any, _o, fn, t) {
      const o = Object(this);
      const n = o.length >>> 0;
      for (let k = 0; k < n; k++) {
        const i = fromEnd ? n - 1 - k : k;
        if (await fn.call(t, o[i], i, o)) return result(o[i], i);
      }
      return none;
    });
  finder('find', (v) => v, undefined);
  finder('findIndex', (_v, i) => i, -1);
  finder('findLast', (v) => v, undefined, true);
  finder('findLastIndex', (_v, i) => i, -1, true);
  finder('some', () => true, false);
  define(AP, 'every', async function (this: any, _o, fn, t) {
    const o = Object(this);
    for (let i = 0; i < o.length >>> 0; i++) if (i in o && !(await fn.call(t, o[i], i, o))) return false;
    return true;
  });
  const reducer = (name: string, fromEnd: boolean): void =>
    define(AP, name, async function (this: any, _o, fn, ...init: any[]) {
      const o = Object(this);
      const n = o.length >>> 0;
      const idx = (k: number): number => (fromEnd ? n - 1 - k : k);
      let k = 0;
      let acc = init[0];
      if (init.length === 0) {
        while (k < n && !(idx(k) in o)) k++;
        if (k >= n) throw new g.TypeError('Reduce of empty array with no initial value');
        acc = o[idx(k++)];
      }
      for (; k < n; k++) if (idx(k) in o) acc = await fn(acc, o[idx(k)], idx(k), o);
      return acc;
    });
  reducer('reduce', false);
  reducer('reduceRight', true);
  const mergeSort = async (list: any[], cmp: any): Promise<any[]> => {
    if (list.length < 2) return list;
    const mid = list.length >> 1;
    const a = await mergeSort(list.slice(0, mid), cmp);
    const b = await mergeSort(list.slice(mid), cmp);
    const out: any[] = new g.Array();
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) out.push(Number(await cmp(b[j], a[i])) < 0 ? b[j++] : a[i++]);
    return out.concat(a.slice(i), b.slice(j));
  };
  const sortedValues = async (self: any, cmp: any): Promise<any[]> => {
    const defined: any[] = new g.Array();
    let undef = 0;
    for (const v of g.Array.prototype.slice.call(self))
      if (v === undefined) undef++;
      else defined.push(v);
    const sorted = await mergeSort(defined, cmp);
    for (let i = 0; i < undef; i++) sorted.push(undefined);
    return sorted;
  };
  define(AP, 'sort', async function (this: any, _o, cmp) {
    const sorted = await sortedValues(this, cmp);
    for (let i = 0; i < sorted.length; i++) this[i] = sorted[i];
    return this;
  });
  define(AP, 'toSorted', async function (this: any, _o, cmp) {
    return sortedValues(this, cmp);
  });
  define(g.Array, 'from', async function (this: any, orig, items, fn, t) {
    const out = orig.call(this, items);
    for (let i = 0; i < out.length; i++) out[i] = await fn.call(t, out[i], i);
    return out;
  });
  for (const C of [g.Map, g.Set])
    define(C.prototype, 'forEach', async function (this: any, orig, fn, t) {
      const entries: any[] = new g.Array();
      orig.call(this, (v: any, k: any) => entries.push([v, k]));
      for (const [v, k] of entries) await fn.call(t, v, k, this);
    });
  for (const name of ['replace', 'replaceAll'])
    define(g.String.prototype, name, async function (this: any, orig, pattern, fn) {
      const calls: any[][] = new g.Array();
      orig.call(this, pattern, (...a: any[]) => (calls.push(a), ''));
      const outs: string[] = new g.Array();
      for (const a of calls) outs.push(String(await fn(...a)));
      let i = 0;
      return orig.call(this, pattern, () => outs[i++]);
    });
}
