/**
 * Response.html(), submitForm() and clickLink() in the shared model's runtime: the HTML modules
 * (Selection, Element, the forms, the parser's loader) are evaluated in a VU's context on first
 * call, not in every VU's. The model refuses scripts that name these methods (detect.ts), so most
 * runs never load them. build.ts makes the required module CommonJS in the bundle, hence lazy.
 */
import type * as Forms from '../../vu/html-forms.ts';

let forms: typeof Forms | null = null;
// No extension: esbuild finds the .ts source or the compiled .js of an installed package.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require inside the bundle
const load = (): typeof Forms => (forms ??= require('../../vu/html-forms') as typeof Forms);

export const responseHtml = (...a: Parameters<typeof Forms.responseHtml>): ReturnType<typeof Forms.responseHtml> =>
  load().responseHtml(...a);
export const submitForm = (...a: Parameters<typeof Forms.submitForm>): ReturnType<typeof Forms.submitForm> =>
  load().submitForm(...a);
export const clickLink = (...a: Parameters<typeof Forms.clickLink>): ReturnType<typeof Forms.clickLink> =>
  load().clickLink(...a);
