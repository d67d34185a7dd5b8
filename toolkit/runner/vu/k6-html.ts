/** The `k6/html` module: parseHTML(src) → a Selection of the whole document, as k6's html.go. */
import { Selection } from './html-selection.ts';
import { parseDocument } from './html-load.ts';

/** Parses HTML text (a full document or a fragment, which gets html/head/body as in a browser). */
export function parseHTML(src: unknown, url = ''): Selection {
  const $ = parseDocument(String(src));
  return new Selection($, $.root(), url);
}

export default { parseHTML };
