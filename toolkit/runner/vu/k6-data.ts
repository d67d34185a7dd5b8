/** The `k6/data` module. Each VU builds its own frozen copy (k6 shares one; reads look the same). */

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const cache = new Map<string, unknown[]>();

// A class so `new SharedArray(...)` works; returning an object from a constructor replaces `this`.
export class SharedArray {
  constructor(name: string, fn: () => unknown[]) {
    if (typeof fn !== 'function') throw new Error('SharedArray needs a function that returns an array');
    let arr = cache.get(name);
    if (!arr) {
      const made = fn();
      if (!Array.isArray(made)) throw new Error(`SharedArray "${name}": the function must return an array`);
      arr = deepFreeze(made);
      cache.set(name, arr);
    }
    return arr as unknown as SharedArray;
  }
}

export default { SharedArray };
