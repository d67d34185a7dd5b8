/**
 * Which of the script's functions can never reach a blocking k6 call, so the compile step leaves
 * them synchronous and calls them without `await` (an await per call made plain JavaScript ~30×
 * slower). Conservative: a function is synchronous only when every call in its own body is
 *   - to a function declaration of the script, bound once in the whole script, itself synchronous;
 *   - to a known global that takes no callback (Math.*, JSON.parse, Object.keys, String(), …) or
 *     `new` of a known global class (Date, Map, Error, …), the global not rebound by the script;
 *   - to a built-in method that takes no callback (push, slice, split, toFixed, …), when the script
 *     defines no method of that name;
 *   - to a callback-taking built-in (map, forEach, sort, …) whose callback is an inline function that
 *     is itself synchronous, the script defining no method of that name.
 * Anything else (a k6 API, a method of the script, a call through a variable or parameter, a tagged
 * template, super) makes it async. Starts from "all synchronous" and removes until nothing changes.
 */
import type { Node } from 'acorn';
import { base, full, simple } from 'acorn-walk';

type N = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FUNCTION = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const SAFE_CALLS = new Set(
  (
    'String Number Boolean parseInt parseFloat isNaN isFinite encodeURIComponent decodeURIComponent encodeURI ' +
    'decodeURI Symbol BigInt'
  ).split(' '),
);
/** Globals whose static methods take no callback (Array.from does: it is a callback built-in). */
const SAFE_NAMESPACES: Record<string, Set<string> | null> = {
  Math: null,
  console: null,
  Number: null,
  Date: new Set(['now', 'parse', 'UTC']),
  JSON: new Set(['parse', 'stringify']),
  Object: new Set([
    'keys',
    'values',
    'entries',
    'assign',
    'freeze',
    'isFrozen',
    'fromEntries',
    'create',
    'getPrototypeOf',
    'is',
    'hasOwn',
  ]),
  Array: new Set(['isArray', 'of']),
  String: new Set(['fromCharCode', 'fromCodePoint']),
};
const SAFE_NEW = new Set(
  (
    'Date Map Set WeakMap WeakSet Error TypeError RangeError SyntaxError RegExp Array Object URL URLSearchParams ' +
    'Uint8Array Int32Array Float64Array ArrayBuffer TextEncoder TextDecoder'
  ).split(' '),
);
const PLAIN_METHODS = new Set(
  (
    'push pop shift unshift slice splice concat join indexOf lastIndexOf includes at fill reverse keys values entries ' +
    'split trim trimStart trimEnd toLowerCase toUpperCase startsWith endsWith padStart padEnd substring substr charAt ' +
    'charCodeAt codePointAt repeat toFixed toPrecision toString match matchAll test exec get set has add delete clear ' +
    'getTime toISOString normalize localeCompare flat toJSON'
  ).split(' '),
);
const CALLBACK_METHODS = new Set(
  'map forEach filter reduce reduceRight some every find findIndex findLast findLastIndex flatMap sort toSorted replace replaceAll'.split(
    ' ',
  ),
);

/** Every name the script binds, with how often, and the names of the methods it defines. */
function bindings(ast: N): { counts: Map<string, number>; declared: Map<string, N>; methods: Set<string> } {
  const counts = new Map<string, number>();
  const declared = new Map<string, N>();
  const methods = new Set<string>();
  const bind = (name: string): void => void counts.set(name, (counts.get(name) ?? 0) + 1);
  const pattern = (p: N | null): void => {
    if (!p) return;
    if (p.type === 'Identifier') bind(p.name);
    else if (p.type === 'ObjectPattern') for (const prop of p.properties as N[]) pattern(prop.value ?? prop.argument);
    else if (p.type === 'ArrayPattern') for (const el of p.elements as N[]) pattern(el);
    else if (p.type === 'RestElement') pattern(p.argument);
    else if (p.type === 'AssignmentPattern') pattern(p.left);
  };
  full(ast, (n) => {
    const node = n as N;
    if (node.type === 'VariableDeclarator') pattern(node.id);
    else if (FUNCTION.has(node.type)) {
      if (node.id) bind(node.id.name);
      if (node.type === 'FunctionDeclaration' && node.id) declared.set(node.id.name, node);
      for (const p of node.params as N[]) pattern(p);
    } else if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      if (node.id) bind(node.id.name);
      if (node.type === 'ClassDeclaration' && node.id) declared.set(node.id.name, node);
    } else if (node.type === 'CatchClause') pattern(node.param);
    else if (
      node.type === 'ImportSpecifier' ||
      node.type === 'ImportDefaultSpecifier' ||
      node.type === 'ImportNamespaceSpecifier'
    )
      bind(node.local.name);
    else if (
      (node.type === 'Property' || node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') &&
      !node.computed
    )
      methods.add(node.key.name ?? String(node.key.value));
    else if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && !node.left.computed)
      methods.add(node.left.property.name);
  });
  return { counts, declared, methods };
}

/** acorn-walk's walker, except that it does not enter nested functions or classes (they are judged on their own). */
const OWN_BODY = {
  ...base,
  FunctionDeclaration: () => undefined,
  FunctionExpression: () => undefined,
  ArrowFunctionExpression: () => undefined,
  ClassDeclaration: () => undefined,
  ClassExpression: () => undefined,
};

/** The calls in a function's own parameters and body. */
function ownCalls(fn: N): N[] {
  const calls: N[] = [];
  const visit = { CallExpression: push, NewExpression: push, TaggedTemplateExpression: push };
  function push(c: Node): void {
    calls.push(c as N);
  }
  for (const p of fn.params as N[]) simple(p, visit, OWN_BODY);
  simple(fn.body, visit, OWN_BODY);
  return calls;
}

/** The analysis: which functions stay synchronous, and which calls need no await. */
export interface Purity {
  functions: ReadonlySet<N>;
  isSyncCall(call: N): boolean;
  /** The script binds this name somewhere (a variable, parameter, function, class, import). */
  binds(name: string): boolean;
}

export function analysePurity(ast: N, k6Names: ReadonlySet<string>): Purity {
  const { counts, declared, methods } = bindings(ast);
  const fns: N[] = [];
  full(ast, (n) => {
    if (FUNCTION.has(n.type) && !(n as N).async && !(n as N).generator) fns.push(n as N);
  });
  const sync = new Set<N>(fns);
  const calls = new Map<N, N[]>(fns.map((f) => [f, ownCalls(f)]));
  const unbound = (name: string): boolean => !counts.has(name) && !k6Names.has(name);
  const declaredSync = (name: string): boolean => {
    const d = declared.get(name);
    return counts.get(name) === 1 && !!d && (d.type === 'ClassDeclaration' || sync.has(d));
  };
  const isSyncCall = (c: N): boolean => {
    if (c.type === 'TaggedTemplateExpression') return false;
    const callee = c.callee as N;
    if (c.type === 'NewExpression')
      return (
        callee.type === 'Identifier' &&
        ((SAFE_NEW.has(callee.name) && unbound(callee.name)) || declaredSync(callee.name))
      );
    if (callee.type === 'Identifier')
      return (SAFE_CALLS.has(callee.name) && unbound(callee.name)) || declaredSync(callee.name);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.optional || callee.object.type === 'Super')
      return false;
    const obj = callee.object as N;
    const name = callee.property.name as string;
    if (obj.type === 'Identifier' && Object.hasOwn(SAFE_NAMESPACES, obj.name) && unbound(obj.name)) {
      const allowed = SAFE_NAMESPACES[obj.name];
      return allowed === null || allowed!.has(name);
    }
    if (obj.type === 'Identifier' && k6Names.has(obj.name)) return false;
    if (methods.has(name)) return false;
    if (PLAIN_METHODS.has(name)) return true;
    if (!CALLBACK_METHODS.has(name)) return false;
    // The built-in is the original when its callback is a plain function: an inline one that stays synchronous.
    const cb = (c.arguments as N[])[name === 'replace' || name === 'replaceAll' ? 1 : 0];
    if (cb === undefined) return name === 'sort' || name === 'toSorted';
    if (cb.type === 'Literal' || (cb.type === 'TemplateLiteral' && cb.expressions.length === 0)) return true;
    return FUNCTION.has(cb.type) && sync.has(cb);
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const f of sync) {
      if (calls.get(f)!.every(isSyncCall)) continue;
      sync.delete(f);
      changed = true;
    }
  }
  return { functions: sync, isSyncCall, binds: (name) => counts.has(name) };
}
