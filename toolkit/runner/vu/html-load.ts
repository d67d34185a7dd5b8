/**
 * Loads the HTML parser (cheerio over parse5, an HTML5 parser as k6's goquery uses) on first use:
 * most scripts never parse HTML, and a VU should not pay for it. The parser stays outside the VU
 * bundle and the script cannot import it; bundle.ts tells each VU where it is.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CheerioAPI } from 'cheerio';

type Load = (content: string, options?: null, isDocument?: boolean) => CheerioAPI;

let parserPath: string | null = null;
let load: Load | null = null;

/** The parser's entry (cheerio's parse5 loader, without its network helpers), resolved on the main thread. */
export function htmlParserPath(from: string = import.meta.url): string {
  const main = createRequire(from).resolve('cheerio');
  return join(dirname(main), 'load-parse.js');
}

/** Set by the VU bundle's first import, before the script's init code runs. */
export function setHtmlParserPath(path: string): void {
  parserPath = path;
}

/** Loads the parser now: in the init context of a script that parses HTML, so no iteration pays for it. */
export function loadHtmlParser(): Load {
  if (!load) {
    const path = parserPath ?? htmlParserPath();
    load = (createRequire(path)(path) as { load: Load }).load;
  }
  return load;
}

/** Parses a whole document (html/head/body added as HTML5 does), as k6's parseHTML. */
export function parseDocument(src: string): CheerioAPI {
  return loadHtmlParser()(src, null, true);
}
