/**
 * Escaping for every string that reaches the report: HTML text and quoted
 * attributes, URLs, and JSON embedded in a <script> element. Markup is built
 * only through the `html` tag, which escapes whatever it interpolates unless
 * it is already SafeHtml.
 */

/** Markup known to be safe: produced by `html` or `raw`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML content and for single- or double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

/** Interpolation values the `html` tag accepts. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

/** Template tag: literal parts are markup, interpolated values are escaped (SafeHtml passes through). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks trusted markup (our own assets) as safe. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/**
 * A URL safe for href/src: relative paths and http(s) only; anything else
 * (javascript:, data:, vbscript:) becomes '#'. Still escaped by `html`.
 */
export function safeUrl(url: string): string {
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return '#';
  return trimmed;
}

/**
 * JSON for a <script type="application/json"> element: `<`, `>` and `&` become
 * \u escapes so `</script>` and `<!--` cannot end or change the element, and
 * U+2028/2029 cannot break older parsers. JSON.parse gives back the same data.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline asset text (JS or CSS) cannot close its own element. */
export function inlineAsset(text: string, element: 'script' | 'style'): SafeHtml {
  return raw(text.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1'));
}

/** Escapes text for XML (JUnit): content and attributes; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
}

/** Escapes text for a Markdown table cell rendered by GitHub (which also renders inline HTML). */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/([\\*_[\]|])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}
