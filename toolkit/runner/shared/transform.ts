/**
 * The shared VU model's compile step: the script, bundled as one ES module with its k6 imports left
 * in, becomes an async function of (k6 module lookup, exports object) in which every ordinary user
 * function is async and every call, `new` and tagged template is awaited. A VU then suspends at
 * k6's blocking calls (http.*, sleep) while its code still reads as synchronous. Functions that can
 * never reach such a call (purity.ts) stay synchronous and are called without await, as are known
 * synchronous built-ins.
 *
 * Functions that cannot suspend (getters, setters, constructors, class fields, generators,
 * toString/valueOf/toJSON/Symbol.* methods, and whatever is nested in them) stay synchronous; a
 * call in them to a k6 API or to the script's own functions is refused (detect.ts), as is every
 * other construct the model cannot run as k6 does.
 */
import { parse, type Node } from 'acorn';
import { ancestor, full } from 'acorn-walk';
import MagicString from 'magic-string';
import { Detector, type Unsupported } from './detect.ts';
import { analysePurity } from './purity.ts';

type N = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The compiled script, or the constructs that keep it off the shared model. */
export type Compiled = { ok: true; code: string; map: string } | { ok: false; unsupported: Unsupported[] };

/**
 * Built-ins read through a local binding: in a vm context every global lookup goes through the
 * context's interceptor, which made a CPU-bound script about 2× slower (measured: 2.3 k vs 4.9 k it/s).
 */
export const LOCAL_GLOBALS = (
  'Object Array JSON Math Date String Number Boolean Error TypeError RangeError Map Set WeakMap RegExp Symbol ' +
  'parseInt parseFloat isNaN isFinite encodeURIComponent decodeURIComponent Uint8Array Int32Array Float64Array ' +
  'ArrayBuffer console'
).split(' ');

const FUNCTION = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const SYNC_NAMES = new Set(['toString', 'valueOf', 'toJSON', 'constructor']);

/** Why a function node may not become async ('' when it may). */
function syncReason(fn: N, parent: N | undefined, src: string): string {
  if (fn.generator) return 'a generator';
  if (!parent) return '';
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition') && parent.value === fn) {
    if (parent.kind === 'get' || parent.kind === 'set') return `a ${parent.kind}ter`;
    if (parent.kind === 'constructor') return 'a constructor';
    if (parent.computed && /^Symbol\./.test(src.slice(parent.key.start, parent.key.end))) return 'a Symbol method';
    const name = parent.key.type === 'Identifier' ? parent.key.name : String(parent.key.value ?? '');
    if (!parent.computed && SYNC_NAMES.has(name)) return `a ${name}() method`;
  }
  if (parent.type === 'PropertyDefinition' && parent.value === fn) return 'a class field';
  return '';
}

/** esbuild's helpers (__defProp, __publicField, …) stay synchronous: they are not the script's. */
const isHelper = (fn: N): boolean => fn.type === 'FunctionDeclaration' && /^__/.test(fn.id?.name ?? '');

function importLine(node: N, detector: Detector): string {
  const source = String(node.source.value);
  if (!/^k6(\/|$)/.test(source)) {
    detector.add(node, `an import of "${source}" left after bundling`);
    return '';
  }
  const mod = `__k6(${JSON.stringify(source)})`;
  const out: string[] = [];
  const named: string[] = [];
  for (const s of node.specifiers as N[]) {
    if (s.type === 'ImportDefaultSpecifier') out.push(`const ${s.local.name} = ${mod}.default;`);
    else if (s.type === 'ImportNamespaceSpecifier') out.push(`const ${s.local.name} = ${mod};`);
    else named.push(`${s.imported.name ?? s.imported.value}: ${s.local.name}`);
  }
  if (named.length) out.push(`const { ${named.join(', ')} } = ${mod};`);
  return out.join(' ');
}

/** Rewrites the module's imports and exports into plain statements; returns the export assignments. */
function moduleSyntax(ast: N, ms: MagicString, detector: Detector): string[] {
  const exportsOut: string[] = [];
  for (const node of ast.body as N[]) {
    if (node.type === 'ImportDeclaration') ms.overwrite(node.start, node.end, importLine(node, detector));
    else if (node.type === 'ExportNamedDeclaration') {
      if (node.source) detector.add(node, 'a re-export from another module');
      else if (node.declaration) {
        ms.remove(node.start, node.declaration.start);
        const d = node.declaration as N;
        const names = d.type === 'VariableDeclaration' ? (d.declarations as N[]).map((v) => v.id.name) : [d.id.name];
        for (const n of names) exportsOut.push(`__exports[${JSON.stringify(n)}] = ${n};`);
      } else {
        for (const s of node.specifiers as N[]) {
          const exported = s.exported.name ?? s.exported.value;
          exportsOut.push(`__exports[${JSON.stringify(exported)}] = ${s.local.name};`);
        }
        ms.remove(node.start, node.end);
      }
    } else if (node.type === 'ExportDefaultDeclaration') {
      const d = node.declaration as N;
      if (d.id?.name) {
        ms.remove(node.start, d.start);
        exportsOut.push(`__exports.default = ${d.id.name};`);
      } else {
        ms.overwrite(node.start, d.start, '__exports.default = ');
        if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') ms.appendLeft(d.end, ';');
      }
    } else if (node.type === 'ExportAllDeclaration') detector.add(node, 'an export * from another module');
  }
  return exportsOut;
}

/** The synchronous zone a node is in (a function that cannot suspend, a class field, a static block), if any. */
function zoneOf(chain: N[], src: string): { reason: string } | null {
  for (let i = 0; i < chain.length; i++) {
    const a = chain[i]!;
    if (FUNCTION.has(a.type)) {
      if (isHelper(a)) return { reason: 'helper' };
      const reason = syncReason(a, chain[i - 1], src);
      if (reason) return { reason };
    } else if (a.type === 'PropertyDefinition' && chain[i + 1] === a.value) return { reason: 'a class field' };
    else if (a.type === 'StaticBlock') return { reason: 'a static block' };
  }
  return null;
}

/**
 * `await` cannot go in a parameter list: a default that is one call (`status = expected(name)`, its
 * arguments free of calls) is left as it is and awaited first thing in the body; any other call in a
 * parameter list is refused.
 */
function paramDefault(node: N, param: N, owner: N, ms: MagicString, detector: Detector): void {
  const simple =
    param.type === 'AssignmentPattern' &&
    param.left.type === 'Identifier' &&
    param.right === node &&
    owner.body.type === 'BlockStatement' &&
    !(node.arguments as N[]).some(hasCall);
  if (!simple) return detector.add(node, 'a call in a parameter default');
  ms.appendLeft(owner.body.start + 1, ` ${param.left.name} = await ${param.left.name};`);
}

function hasCall(node: N): boolean {
  let found = false;
  full(node, (n) => {
    if (n.type === 'CallExpression' || n.type === 'NewExpression' || n.type === 'TaggedTemplateExpression')
      found = true;
  });
  return found;
}

/** A call inside an optional chain that the chain goes on after (`a?.b().c`): awaiting it would break the short circuit. */
function midChain(node: N, chain: N[]): boolean {
  let cur = node;
  for (let i = chain.length - 2; i >= 0; i--) {
    const p = chain[i]!;
    if (p.type === 'ChainExpression') return cur !== node && optionalBelow(node);
    if ((p.type === 'MemberExpression' && p.object === cur) || (p.type === 'CallExpression' && p.callee === cur))
      cur = p;
    else return false;
  }
  return false;
}

/** The call itself is reached only past a `?.` (it may not run at all). */
function optionalBelow(node: N): boolean {
  for (let cur = node; cur.type === 'MemberExpression' || cur.type === 'CallExpression';) {
    if (cur.optional) return true;
    cur = cur.type === 'MemberExpression' ? cur.object : cur.callee;
  }
  return false;
}

/** Where `async ` goes in front of a function: its keyword, or a method's key (its `[` when computed). */
function asyncAt(fn: N, parent: N | undefined, src: string): number {
  const method =
    parent?.value === fn && (parent.type === 'MethodDefinition' || (parent.type === 'Property' && parent.method));
  if (!method) return fn.start;
  return parent.computed ? src.lastIndexOf('[', parent.key.start) : parent.key.start;
}

/** Compiles a bundled ES module (see the file comment). */
export function compileForSharedVus(src: string, file: string): Compiled {
  let ast: N;
  try {
    ast = parse(src, { ecmaVersion: 'latest', sourceType: 'module', locations: true }) as N;
  } catch (err) {
    return {
      ok: false,
      unsupported: [{ construct: `code acorn cannot parse (${(err as Error).message})`, where: file }],
    };
  }
  const ms = new MagicString(src);
  const detector = new Detector(ast, src, file);
  const exportsOut = moduleSyntax(ast, ms, detector);
  const purity = analysePurity(ast, detector.k6Names);
  ancestor(ast, {
    Function(node, _state, ancestors) {
      const fn = node as N;
      const chain = ancestors as N[];
      if (zoneOf(chain, src)) return;
      if (fn.async) detector.add(fn, 'an async function (its awaits would interleave as they do not in k6)');
      else if (!purity.functions.has(fn)) ms.appendRight(asyncAt(fn, chain[chain.length - 2], src), 'async ');
    },
  });
  const awaitCall = (node: N, chain: N[]): void => {
    const zone = zoneOf(chain, src);
    if (zone)
      return zone.reason === 'helper' || purity.isSyncCall(node)
        ? undefined
        : detector.checkSyncCall(node, zone.reason);
    if (node.type === 'CallExpression' && (node.callee.type === 'Super' || node.callee.type === 'Import')) return;
    const owner = [...chain].reverse().find((a) => FUNCTION.has(a.type) && a !== node);
    // A synchronous function's calls are all known to return plain values; so is a known synchronous call anywhere.
    if ((owner && purity.functions.has(owner)) || purity.isSyncCall(node)) return;
    const param = owner && (owner.params as N[]).find((p) => node.start >= p.start && node.end <= p.end);
    if (param) return paramDefault(node, param, owner!, ms, detector);
    if (midChain(node, chain)) return detector.add(node, 'an optional chain that goes on after a call');
    ms.prependLeft(node.start, '(await ');
    ms.appendRight(node.end, ')');
  };
  ancestor(ast, {
    CallExpression: (n, _s, a) => awaitCall(n as N, a as N[]),
    NewExpression: (n, _s, a) => awaitCall(n as N, a as N[]),
    TaggedTemplateExpression: (n, _s, a) => awaitCall(n as N, a as N[]),
  });
  detector.scan();
  if (detector.found.length > 0) return { ok: false, unsupported: detector.found };
  const locals = LOCAL_GLOBALS.filter((g) => !purity.binds(g) && new RegExp(`\\b${g}\\b`).test(src));
  const prologue = locals.length ? `const { ${locals.join(', ')} } = globalThis; ` : '';
  ms.prepend(`(async function (__k6, __exports) {\n"use strict"; ${prologue}\n`);
  ms.append(`\n${exportsOut.join('\n')}\n})`);
  const map = ms.generateMap({ hires: true, source: 'module.js', includeContent: false }).toString();
  return { ok: true, code: ms.toString(), map };
}
