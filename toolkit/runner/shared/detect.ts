/**
 * What keeps a script off the shared VU model: constructs whose behaviour would differ once the
 * script's functions are async (transform.ts). Each finding names the construct and where it is
 * in the bundled script (line:column), so the fallback line or the refusal can say why.
 *
 * Detected: timers and promises (k6 runs their callbacks on the VU's event loop between calls,
 * the shared model would interleave them at every await), async functions, k6/html (its callbacks
 * are not awaited), http.asyncRequest, JSON.parse/stringify with a reviver or replacer, Proxy,
 * property accessors made at run time (Object.defineProperty), eval / Function / import(), `with`,
 * and in code that cannot suspend (getters, setters, constructors, class fields, generators,
 * toString/valueOf/toJSON/Symbol.* methods) any call to a k6 API, to the script's own functions
 * or to a method of `this`.
 */
import type { Node } from 'acorn';
import { full } from 'acorn-walk';

type N = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Unsupported {
  /** The construct, in words: "sleep() called in a getter". */
  construct: string;
  /** file:line:column in the bundled script. */
  where: string;
}

const REFUSED_GLOBALS: Record<string, string> = {
  setTimeout: 'setTimeout (timers)',
  setInterval: 'setInterval (timers)',
  Promise: 'Promise',
  eval: 'eval',
  Function: 'the Function constructor',
  Proxy: 'Proxy',
  queueMicrotask: 'queueMicrotask',
};
const REFUSED_MODULES: Record<string, string> = {
  'k6/timers': 'the k6/timers module',
  'k6/html': 'the k6/html module (its callbacks are not awaited)',
  'k6/ws': 'the k6/ws module',
};
const REFUSED_METHODS: Record<string, string> = {
  then: '.then() (promises)',
  html: 'Response.html() (k6/html callbacks are not awaited)',
  submitForm: 'Response.submitForm()',
  clickLink: 'Response.clickLink()',
  asyncRequest: 'http.asyncRequest()',
  defineProperty: 'Object.defineProperty() (accessors made at run time)',
  defineProperties: 'Object.defineProperties()',
  __defineGetter__: '__defineGetter__',
  __defineSetter__: '__defineSetter__',
};

export class Detector {
  readonly found: Unsupported[] = [];
  /** Local names bound to k6 modules or their exports. */
  readonly k6Names = new Set<string>();
  /** Names of the script's own functions. */
  private readonly userFunctions = new Set<string>();

  constructor(
    private readonly ast: N,
    private readonly src: string,
    private readonly file: string,
  ) {
    for (const node of ast.body as N[]) {
      if (node.type !== 'ImportDeclaration') continue;
      const source = String(node.source.value);
      if (Object.hasOwn(REFUSED_MODULES, source)) this.add(node, REFUSED_MODULES[source]!);
      for (const s of node.specifiers as N[]) this.k6Names.add(s.local.name);
    }
    full(ast, (n) => {
      const node = n as N;
      if (node.type === 'FunctionDeclaration' && node.id && !/^__/.test(node.id.name))
        this.userFunctions.add(node.id.name);
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && /Function/.test(node.init?.type ?? ''))
        this.userFunctions.add(node.id.name);
    });
  }

  add(node: N, construct: string): void {
    const loc = node.loc?.start;
    this.found.push({ construct, where: loc ? `${this.file}:${loc.line}:${loc.column + 1}` : this.file });
  }

  /** A call in code that cannot suspend: refused when it may reach a k6 API or an (async) function of the script. */
  checkSyncCall(node: N, zone: string): void {
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return;
    const callee = node.callee as N;
    const root = rootName(callee);
    const text = this.src.slice(callee.start, Math.min(callee.end, callee.start + 40));
    if (root && this.k6Names.has(root)) this.add(node, `${text}() called in ${zone} (it cannot suspend there)`);
    else if (callee.type === 'Identifier' && this.userFunctions.has(callee.name))
      this.add(node, `${text}() called in ${zone} (the script's functions are async in the shared model)`);
    else if (callee.type === 'MemberExpression' && callee.object.type === 'ThisExpression')
      this.add(node, `${text}() called in ${zone} (a method of this may be async in the shared model)`);
  }

  /** The constructs refused wherever they appear. */
  scan(): void {
    full(this.ast, (n) => {
      const node = n as N;
      if (node.type === 'Identifier' && Object.hasOwn(REFUSED_GLOBALS, node.name) && !this.userFunctions.has(node.name))
        this.add(node, REFUSED_GLOBALS[node.name]!);
      else if (node.type === 'MemberExpression' && !node.computed && Object.hasOwn(REFUSED_METHODS, node.property.name))
        this.add(node.property, REFUSED_METHODS[node.property.name]!);
      else if (node.type === 'ImportExpression') this.add(node, 'import() (dynamic imports)');
      else if (node.type === 'WithStatement') this.add(node, 'a with statement');
      else if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await))
        this.add(node, 'await (the script already uses promises)');
      else if (node.type === 'CallExpression' && isJson(node.callee) && isCallback(node.arguments[1]))
        this.add(node, 'JSON.parse/stringify with a reviver or replacer (its callback cannot suspend)');
    });
  }
}

function rootName(node: N): string | null {
  let cur = node;
  while (cur.type === 'MemberExpression') cur = cur.object;
  return cur.type === 'Identifier' ? cur.name : null;
}

function isJson(callee: N): boolean {
  return (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'JSON' &&
    !callee.computed &&
    (callee.property.name === 'parse' || callee.property.name === 'stringify')
  );
}

/** A reviver / replacer that may be a function (null, undefined, a list of keys and a number are not). */
function isCallback(arg: N | undefined): boolean {
  if (!arg) return false;
  if (arg.type === 'Literal' || arg.type === 'ArrayExpression') return false;
  return !(arg.type === 'Identifier' && arg.name === 'undefined');
}

/** One line: the first constructs and where they are. */
export function describeUnsupported(found: readonly Unsupported[]): string {
  const shown = found.slice(0, 3).map((u) => `${u.construct} at ${u.where}`);
  return shown.join('; ') + (found.length > 3 ? `; and ${found.length - 3} more` : '');
}
