/**
 * k6/html's Selection: goquery's jQuery-like API as k6's html.go exposes it, over a cheerio
 * selection. Quirks kept: attr() of a missing attribute is undefined, each() passes (index,
 * Element), map() passes (index, Selection) and drops the items whose callback throws, get(i) gives
 * an Element, serialize() leaves out buttons and unchecked boxes and sorts by name.
 */
import type { CheerioAPI } from 'cheerio';
import { Element } from './html-element.ts';
import {
  attrToProperty,
  convertDataValue,
  encodeValues,
  formValue,
  propertyToAttr,
  rawAttr,
  type HtmlNode,
  type Nodes,
} from './html-values.ts';

type Matcher = string | Selection | Element | ((index: number, sel: Selection) => unknown);

const SUBMITTABLE = 'input,select,textarea,keygen';
const NOT_SERIALIZED = new Set(['submit', 'button', 'reset', 'image', 'file']);

export class Selection {
  /** @internal the document this selection belongs to */
  declare readonly $: CheerioAPI;
  /** @internal the nodes */
  declare readonly sel: Nodes;
  readonly url: string;

  constructor($: CheerioAPI, sel: Nodes, url = '') {
    // Not enumerable: console.log or JSON.stringify of a Selection shows { url }, not the parser's tree.
    Object.defineProperties(this, { $: { value: $ }, sel: { value: sel } });
    this.url = url;
  }

  private wrap(sel: Nodes): Selection {
    return new Selection(this.$, sel, this.url);
  }

  /** @internal a selection of these nodes of the same document (Element's traversal) */
  wrapNodes(nodes: HtmlNode | HtmlNode[]): Selection {
    return this.wrap(this.$(nodes));
  }

  private target(arg: unknown, method: string): string | Nodes {
    if (typeof arg === 'string') return arg;
    if (arg instanceof Selection) return arg.sel;
    if (arg instanceof Element) return arg.selection().sel;
    throw new TypeError(`${method}(): invalid argument, cannot use a ${typeof arg} as a selector`);
  }

  private matcher(arg: unknown, method: string): string | Nodes | ((i: number) => boolean) {
    if (typeof arg !== 'function') return this.target(arg, method);
    const fn = arg as (i: number, s: Selection) => unknown;
    return (i: number) => Boolean(fn(i, this.wrap(this.sel.eq(i))));
  }

  add(arg: Matcher): Selection {
    return this.wrap(this.sel.add(this.target(arg, 'add') as string));
  }
  find(arg: Matcher): Selection {
    return this.wrap(this.sel.find(this.target(arg, 'find') as string));
  }
  closest(arg: Matcher): Selection {
    return this.wrap(this.sel.closest(this.target(arg, 'closest') as string));
  }
  has(arg: Matcher): Selection {
    return this.wrap(this.sel.has(this.target(arg, 'has') as string));
  }
  not(arg: Matcher): Selection {
    return this.wrap(this.sel.not(this.matcher(arg, 'not') as string));
  }
  filter(arg: Matcher): Selection {
    return this.wrap(this.sel.filter(this.matcher(arg, 'filter') as string));
  }
  is(arg: Matcher): boolean {
    return this.sel.is(this.matcher(arg, 'is') as string);
  }

  next(filter?: string): Selection {
    return this.wrap(this.sel.next(filter));
  }
  nextAll(filter?: string): Selection {
    return this.wrap(this.sel.nextAll(filter));
  }
  prev(filter?: string): Selection {
    return this.wrap(this.sel.prev(filter));
  }
  prevAll(filter?: string): Selection {
    return this.wrap(this.sel.prevAll(filter));
  }
  parent(filter?: string): Selection {
    return this.wrap(this.sel.parent(filter));
  }
  parents(filter?: string): Selection {
    return this.wrap(this.sel.parents(filter));
  }
  siblings(filter?: string): Selection {
    return this.wrap(this.sel.siblings(filter));
  }
  children(filter?: string): Selection {
    return this.wrap(this.sel.children(filter));
  }
  contents(): Selection {
    return this.wrap(this.sel.contents());
  }

  private until(until: unknown, filter: unknown, method: string): [string | Nodes | undefined, string | undefined] {
    const stop = until === undefined || until === null ? undefined : this.target(until, method);
    return [stop, filter === undefined ? undefined : String(filter)];
  }
  nextUntil(until?: unknown, filter?: unknown): Selection {
    const [stop, f] = this.until(until, filter, 'nextUntil');
    return this.wrap(this.sel.nextUntil(stop as string, f));
  }
  prevUntil(until?: unknown, filter?: unknown): Selection {
    const [stop, f] = this.until(until, filter, 'prevUntil');
    return this.wrap(this.sel.prevUntil(stop as string, f));
  }
  parentsUntil(until?: unknown, filter?: unknown): Selection {
    const [stop, f] = this.until(until, filter, 'parentsUntil');
    return this.wrap(this.sel.parentsUntil(stop as string, f));
  }

  size(): number {
    return this.sel.length;
  }
  end(): Selection {
    return this.wrap(this.sel.end());
  }
  eq(index: number): Selection {
    return this.wrap(this.sel.eq(index));
  }
  first(): Selection {
    return this.wrap(this.sel.first());
  }
  last(): Selection {
    return this.wrap(this.sel.last());
  }
  slice(start: number, end?: number): Selection {
    return this.wrap(end !== undefined && end < this.sel.length ? this.sel.slice(start, end) : this.sel.slice(start));
  }

  text(): string {
    return this.sel.text();
  }
  html(): string | undefined {
    return this.sel.length === 0 ? '' : (this.sel.html() ?? undefined);
  }
  attr(name: string, fallback?: unknown): unknown {
    const v = rawAttr(this.sel, String(name));
    return v === undefined ? fallback : v;
  }
  val(): string | string[] | undefined {
    return formValue(this.sel);
  }

  data(key?: string): unknown {
    const first = this.sel.get(0);
    const attribs = first && 'attribs' in first ? first.attribs : undefined;
    if (!attribs || Object.keys(attribs).length === 0) return undefined;
    if (key !== undefined) {
      const v = attribs[`data-${propertyToAttr(String(key))}`];
      return v === undefined ? undefined : convertDataValue(v);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(attribs))
      if (k.startsWith('data-') && k.length > 5) out[attrToProperty(k.slice(5))] = convertDataValue(v);
    return out;
  }

  each(fn: unknown): Selection {
    if (typeof fn !== 'function') throw new TypeError('the argument to each() must be a function');
    for (let i = 0; i < this.sel.length; i++) {
      try {
        (fn as (i: number, el: Element) => unknown)(i, new Element(this.eq(i)));
      } catch (err) {
        throw new Error(`the function passed to each() failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return this;
  }

  map(fn: unknown): unknown[] {
    if (typeof fn !== 'function') throw new TypeError('the argument to map() must be a function');
    const out: unknown[] = [];
    for (let i = 0; i < this.sel.length; i++) {
      try {
        out.push((fn as (i: number, s: Selection) => unknown)(i, this.eq(i)));
      } catch {
        // k6 drops the items whose callback throws.
      }
    }
    return out;
  }

  get(index?: number): Element | Element[] | undefined {
    const n = this.sel.length;
    if (index === undefined) return Array.from({ length: n }, (_, i) => new Element(this.eq(i)));
    return index < n && index > -n ? new Element(this.eq(index)) : undefined;
  }

  toArray(): Selection[] {
    return Array.from({ length: this.sel.length }, (_, i) => this.eq(i));
  }

  index(arg?: unknown): number {
    if (arg === undefined) return this.sel.index();
    if (typeof arg === 'string' || arg instanceof Selection || arg instanceof Element)
      return this.sel.index(this.target(arg, 'index') as string);
    return -1;
  }

  serializeArray(): Array<{ name: string; value: string | string[] | undefined }> {
    const fields = this.sel.is('form') ? this.sel.find(SUBMITTABLE) : this.sel.filter(SUBMITTABLE);
    return fields.toArray().flatMap((_, i) => {
      const el = fields.eq(i);
      const name = rawAttr(el, 'name') ?? '';
      const type = rawAttr(el, 'type') ?? '';
      const checked = rawAttr(el, 'checked') === 'checked';
      if (name === '' || rawAttr(el, 'disabled') === 'disabled' || NOT_SERIALIZED.has(type)) return [];
      if (!checked && (type === 'checkbox' || type === 'radio')) return [];
      return [{ name, value: formValue(el) }];
    });
  }

  serializeObject(): Record<string, string | string[] | undefined> {
    return Object.fromEntries(this.serializeArray().map((f) => [f.name, f.value]));
  }

  serialize(): string {
    const values: Record<string, string | string[]> = {};
    for (const { name, value } of this.serializeArray()) if (value !== undefined) values[name] = value;
    return encodeValues(values);
  }
}
