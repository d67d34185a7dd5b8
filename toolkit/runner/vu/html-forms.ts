/**
 * Response.html(), submitForm() and clickLink(), as k6's http/response.go: the form's method and
 * action (resolved against the response URL), its serialized fields plus the submit button's and
 * the script's, sent as a form body (POST…) or as the query (GET).
 */
import { parseHTML } from './k6-html.ts';
import type { Selection } from './html-selection.ts';
import type { Params } from './http-request.ts';
import { encodeValues } from './html-values.ts';
import { request } from './k6-http.ts';
import type { Response } from './http-response.ts';

/** The response body as a Selection (optionally narrowed by a selector), with the response URL for links. */
export function responseHtml(res: Response, selector?: string): Selection {
  if (res.body === null || res.body === undefined) {
    throw new Error(
      "the body is null so we can't transform it to HTML - this likely was because of a request error getting the response",
    );
  }
  const text = typeof res.body === 'string' ? res.body : new TextDecoder().decode(res.body);
  const doc = parseHTML(text, res.url);
  return selector === undefined ? doc : doc.find(String(selector));
}

interface SubmitFormArgs {
  formSelector?: string;
  submitSelector?: string;
  fields?: Record<string, unknown>;
  params?: Params | null;
}

function resolveUrl(href: string, base: string): string {
  try {
    return new URL(href, base).href;
  } catch {
    throw new Error(`cannot resolve "${href}" against the response URL "${base}"`);
  }
}

export function submitForm(res: Response, args: SubmitFormArgs = {}): Response {
  const formSelector = args.formSelector === undefined ? 'form' : String(args.formSelector);
  const submitSelector = args.submitSelector === undefined ? '[type="submit"]' : String(args.submitSelector);
  const form = responseHtml(res, formSelector);
  if (form.size() === 0) throw new Error(`no form found for selector '${formSelector}' in response '${res.url}'`);
  const method = String(form.attr('method') ?? 'GET').toUpperCase();
  const action = form.attr('action');
  const target = new URL(action === undefined ? res.url : resolveUrl(String(action), res.url));
  const values: Record<string, unknown> = { ...form.serializeObject() };
  const submit = form.find(submitSelector);
  const submitName = submit.attr('name');
  const submitValue = submit.val();
  if (submitName !== undefined && submitValue !== undefined) values[String(submitName)] = submitValue;
  Object.assign(values, args.fields ?? {});
  // k6 builds the body from a Go map and url.Values, which sorts the fields by name.
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(values).sort()) sorted[k] = String(values[k]);
  if (method === 'GET') {
    target.search = encodeValues(sorted);
    return request(method, target.href, null, args.params);
  }
  return request(method, target.href, sorted, args.params);
}

export function clickLink(res: Response, args: { selector?: string; params?: Params | null } = {}): Response {
  const selector = args.selector === undefined ? 'a[href]' : String(args.selector);
  const link = responseHtml(res, selector);
  if (link.size() === 0) throw new Error(`no element found for selector '${selector}' in response '${res.url}'`);
  const href = link.attr('href');
  if (href === undefined) {
    throw new Error(`no valid href attribute value found on element '${selector}' in response '${res.url}'`);
  }
  return request('GET', resolveUrl(String(href), res.url), null, args.params);
}
