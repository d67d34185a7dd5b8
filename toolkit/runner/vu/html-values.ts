/** Values k6/html reads out of attributes and forms: data-* conversion, val(), Go's query encoding. */
import type { Cheerio, CheerioAPI } from 'cheerio';

/** Any node of a parsed document (cheerio's AnyNode, without importing domhandler's types). */
export type HtmlNode = ReturnType<ReturnType<CheerioAPI['root']>['contents']> extends Cheerio<infer N> ? N : never;
/** A cheerio selection of any nodes. */
export type Nodes = Cheerio<HtmlNode>;

// Go's initialisms (golint's list, which k6's snaker uses): data-user-id is the property userID.
const INITIALISMS = new Set(
  'ACL API ASCII CPU CSS DNS EOF GUID HTML HTTP HTTPS ID IP JSON LHS QPS RAM RHS RPC SLA SMTP SQL SSH TCP TLS TTL UDP UI UID UUID URI URL UTF8 VM XML XMPP XSRF XSS'.split(
    ' ',
  ),
);

/** "user-id" → "userID", as k6's attrToProperty. */
export function attrToProperty(name: string): string {
  const [first = '', ...rest] = name.split('-');
  if (rest.length === 0) return name;
  const camel = rest
    .filter((p) => p !== '')
    .map((p) => (INITIALISMS.has(p.toUpperCase()) ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1)))
    .join('');
  return first + camel;
}

/** "userId" → "user-id", as k6's propertyToAttr. */
export function propertyToAttr(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** data-* text → value, as k6's convertDataAttrVal: JSON objects/arrays, booleans, exact numbers, else the text. */
export function convertDataValue(val: string): unknown {
  if (val === '' || val === 'null' || val === 'undefined') return undefined;
  if (val[0] === '{' || val[0] === '[') {
    try {
      return JSON.parse(val) as unknown;
    } catch {
      return val;
    }
  }
  if (val === 'true') return true;
  if (val === 'false') return false;
  const n = Number(val);
  return val.trim() === val && Number.isFinite(n) && String(n) === val ? n : val;
}

/**
 * An attribute of the first node as the document has it (cheerio's attr() turns a boolean attribute
 * into its name; goquery, and so k6, gives the written value: "" for <input checked>).
 */
export function rawAttr(sel: Nodes, name: string): string | undefined {
  const node = sel.get(0);
  return node && 'attribs' in node ? node.attribs[name] : undefined;
}

const valueOrHtml = (el: Nodes): string => rawAttr(el, 'value') ?? el.html() ?? '';

/** k6's val(): by tag, for the first element; undefined for elements that have no value. */
export function formValue(sel: Nodes): string | string[] | undefined {
  const el = sel.first();
  const tag = el.prop('tagName')?.toLowerCase();
  const type = rawAttr(el, 'type');
  switch (tag) {
    case 'input':
      return rawAttr(el, 'value') ?? (type === 'radio' || type === 'checkbox' ? 'on' : '');
    case 'button':
      return rawAttr(el, 'value') ?? '';
    case 'textarea':
      return el.html() ?? undefined;
    case 'option':
      return valueOrHtml(el);
    case 'select': {
      const selected = el.find('option[selected]');
      if (rawAttr(el, 'multiple') !== undefined) return selected.toArray().map((_, i) => valueOrHtml(selected.eq(i)));
      return selected.length === 0 ? '' : valueOrHtml(selected.first());
    }
    default:
      return undefined;
  }
}

/** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay, a space is "+". */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's url.Values.Encode(): keys sorted, each key's values in order. */
export function encodeValues(values: Record<string, string | string[]>): string {
  return Object.keys(values)
    .sort()
    .flatMap((k) => ([] as string[]).concat(values[k]!).map((v) => `${queryEscape(k)}=${queryEscape(v)}`))
    .join('&');
}
