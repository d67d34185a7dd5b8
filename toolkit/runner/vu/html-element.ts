/** k6/html's Element: a DOM-like view of one node (what each() and get() hand out), as k6's element.go. */
import type { Selection } from './html-selection.ts';
import { rawAttr, type HtmlNode } from './html-values.ts';

const NODE_TYPE: Record<string, number> = { tag: 1, script: 1, style: 1, text: 3, comment: 8, root: 9, directive: 10 };

export class Element {
  declare private readonly s: Selection;

  constructor(s: Selection) {
    Object.defineProperty(this, 's', { value: s });
  }

  private get node(): HtmlNode | undefined {
    return this.s.sel.get(0);
  }

  private around(node: HtmlNode | null | undefined): Element | undefined {
    return node ? new Element(this.s.wrapNodes(node)) : undefined;
  }

  private elements(nodes: HtmlNode[]): Element[] {
    return nodes.map((n) => new Element(this.s.wrapNodes(n)));
  }

  selection(): Selection {
    return this.s;
  }
  nodeName(): string {
    const n = this.node;
    if (!n) return '';
    if ('name' in n && n.type !== 'directive') return n.name.toLowerCase();
    return n.type === 'text' ? '#text' : n.type === 'comment' ? '#comment' : n.type === 'root' ? '#document' : 'html';
  }
  nodeType(): number | undefined {
    return this.node ? NODE_TYPE[this.node.type] : undefined;
  }
  nodeValue(): string | null | undefined {
    const n = this.node;
    return n && 'data' in n ? n.data : null;
  }
  textContent(): string {
    return this.s.text();
  }
  innerHTML(): string | undefined {
    return this.s.html();
  }
  id(): string {
    return rawAttr(this.s.sel, 'id') ?? '';
  }
  className(): unknown {
    return this.s.attr('class');
  }
  classList(): string[] {
    return (rawAttr(this.s.sel, 'class') ?? '').split(/\s+/).filter((c) => c !== '');
  }
  getAttribute(name: string): unknown {
    return this.s.attr(name);
  }
  hasAttribute(name: string): boolean {
    return rawAttr(this.s.sel, name) !== undefined;
  }
  hasAttributes(): boolean {
    const n = this.node;
    return !!n && 'attribs' in n && Object.keys(n.attribs).length > 0;
  }
  attributes(): Record<string, { name: string; value: string }> {
    const n = this.node;
    const attribs = n && 'attribs' in n ? n.attribs : {};
    return Object.fromEntries(Object.entries(attribs).map(([name, value]) => [name, { name, value }]));
  }
  hasChildNodes(): boolean {
    const n = this.node;
    return !!n && 'children' in n && n.children.length > 0;
  }
  childNodes(): Element[] {
    return this.elements(this.s.sel.contents().toArray());
  }
  children(): Element[] {
    return this.elements(this.s.sel.children().toArray());
  }
  childElementCount(): number {
    return this.s.sel.children().length;
  }
  firstChild(): Element | undefined {
    return this.around(this.s.sel.contents().get(0));
  }
  lastChild(): Element | undefined {
    const c = this.s.sel.contents();
    return this.around(c.get(c.length - 1));
  }
  firstElementChild(): Element | undefined {
    return this.around(this.s.sel.children().get(0));
  }
  lastElementChild(): Element | undefined {
    const c = this.s.sel.children();
    return this.around(c.get(c.length - 1));
  }
  previousSibling(): Element | undefined {
    return this.around(this.node?.prev);
  }
  nextSibling(): Element | undefined {
    return this.around(this.node?.next);
  }
  previousElementSibling(): Element | undefined {
    return this.around(this.s.sel.prev().get(0));
  }
  nextElementSibling(): Element | undefined {
    return this.around(this.s.sel.next().get(0));
  }
  parentNode(): Element | undefined {
    return this.around(this.node?.parent);
  }
  parentElement(): Element | undefined {
    return this.around(this.s.sel.parent().get(0));
  }
  getElementsByClassName(name: string): Element[] {
    return this.elements(this.s.sel.find(`.${name}`).toArray());
  }
  getElementsByTagName(name: string): Element[] {
    return this.elements(this.s.sel.find(name).toArray());
  }
  querySelector(selector: string): Element | undefined {
    return this.around(this.s.sel.find(selector).get(0));
  }
  querySelectorAll(selector: string): Element[] {
    return this.elements(this.s.sel.find(selector).toArray());
  }
  matches(selector: string): boolean {
    return this.s.sel.is(selector);
  }
  contains(other: unknown): boolean {
    const n = other instanceof Element ? other.node : undefined;
    return (
      !!n &&
      this.s.sel
        .find('*')
        .toArray()
        .includes(n as never)
    );
  }
  isSameNode(other: unknown): boolean {
    return other instanceof Element && other.node === this.node;
  }
  isEqualNode(other: unknown): boolean {
    return other instanceof Element && other.innerHTML() === this.innerHTML();
  }
  toString(): string | undefined {
    const n = this.node;
    if (!n) return undefined;
    return n.type === 'tag' || n.type === 'script' || n.type === 'style'
      ? '[object html.Node]'
      : `[object ${this.nodeName()}]`;
  }
}
