/** The shared model's k6/data: SharedArray's function is async here, so `new SharedArray()` gives a promise the script awaits. */
const cache = new Map<string, unknown[]>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class SharedArray {
  constructor(name: string, fn: () => unknown) {
    if (typeof fn !== 'function') throw new Error('SharedArray needs a function that returns an array');
    const known = cache.get(name);
    const made = known
      ? Promise.resolve(known)
      : Promise.resolve(fn()).then((arr) => {
          if (!Array.isArray(arr)) throw new Error(`SharedArray "${name}": the function must return an array`);
          cache.set(name, deepFreeze(arr));
          return arr;
        });
    return made as unknown as SharedArray;
  }
}

export default { SharedArray };
