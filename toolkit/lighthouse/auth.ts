import type { Page } from 'puppeteer';
import { ToolkitError } from '../errors.ts';
import type { LighthouseAuth } from './types.ts';

/** Default JSON login endpoint of the reference app (reference-app/API.md). */
export const DEFAULT_LOGIN_API = '/api/auth/login';

const EMAIL_INPUT = 'input[type=email], input[name=email], input[name=username]';
const PASSWORD_INPUT = 'input[type=password]';
const SUBMIT = 'button[type=submit], input[type=submit]';

async function loginWithApi(page: Page, baseUrl: string, auth: LighthouseAuth, timeoutMs: number): Promise<void> {
  const api = new URL(auth.api ?? DEFAULT_LOGIN_API, baseUrl).href;
  // Any same-origin document will do for a credentialed fetch; the endpoint itself
  // answers GET with a small static error page and runs no app scripts.
  await page.goto(api, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  const answer = await page.evaluate(
    async (url: string, email: string, password: string) => {
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return { status: res.status, body: (await res.text()).slice(0, 200) };
    },
    api,
    auth.email,
    auth.password,
  );
  if (answer.status < 200 || answer.status >= 300) {
    throw new ToolkitError('LOGIN_FAILED', `POST ${api} as ${auth.email} answered ${answer.status}: ${answer.body}`, {
      fix: 'check auth.email / auth.password in the Lighthouse page config (seeded accounts use the password perfkit-demo) and that the app is seeded',
    });
  }
}

/** Polls the page's URL (which follows both real navigations and history.pushState) until it leaves the login path. */
async function waitToLeave(page: Page, loginPathname: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (new URL(page.url()).pathname !== loginPathname) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function loginWithForm(
  page: Page,
  baseUrl: string,
  auth: LighthouseAuth & { loginPath: string },
  timeoutMs: number,
): Promise<void> {
  const loginUrl = new URL(auth.loginPath, baseUrl);
  await page.goto(loginUrl.href, { waitUntil: 'load', timeout: timeoutMs });
  const email = await page.waitForSelector(auth.fields?.email ?? EMAIL_INPUT, { timeout: timeoutMs });
  const password = await page.waitForSelector(auth.fields?.password ?? PASSWORD_INPUT, { timeout: timeoutMs });
  await email?.type(auth.email);
  await password?.type(auth.password);
  await page.click(auth.fields?.submit ?? SUBMIT);
  // A server form navigates; a single-page app changes the URL with the history API after its fetch.
  if (!(await waitToLeave(page, loginUrl.pathname, timeoutMs))) {
    throw new ToolkitError(
      'LOGIN_FAILED',
      `the login form at ${loginUrl.href} did not accept ${auth.email} (still on the login page after ${timeoutMs} ms)`,
      {
        fix: 'check auth.email / auth.password in the Lighthouse page config and that the form has email, password and submit fields',
      },
    );
  }
  // Let the app finish what it does after login (store its auth state, first data requests).
  await page.waitForNetworkIdle({ idleTime: 250, timeout: 5000 }).catch(() => undefined);
}

/**
 * Logs the browser in so later navigations carry the session: fills the form
 * at auth.loginPath when given, else POSTs auth.api from the page. Use the form
 * for single-page apps that also keep auth state in localStorage (the API call
 * only sets the cookie). Lighthouse's storage reset keeps cookies and
 * localStorage, so one login serves all runs.
 */
export async function login(page: Page, baseUrl: string, auth: LighthouseAuth, timeoutMs = 15_000): Promise<void> {
  try {
    if (auth.loginPath !== undefined)
      await loginWithForm(page, baseUrl, { ...auth, loginPath: auth.loginPath }, timeoutMs);
    else await loginWithApi(page, baseUrl, auth, timeoutMs);
  } catch (err) {
    if (err instanceof ToolkitError) throw err;
    const where = new URL(auth.loginPath ?? auth.api ?? DEFAULT_LOGIN_API, baseUrl).href;
    throw new ToolkitError('LOGIN_FAILED', `logging in at ${where} failed: ${(err as Error).message.split('\n')[0]}`, {
      fix:
        auth.loginPath !== undefined
          ? 'check that the page at loginPath shows a form with email, password and submit fields and that the app is running'
          : 'check that the app is running and answers the login API',
      cause: err,
    });
  }
}

/** Throws when an authenticated audit ended somewhere other than the page asked for (typically the login page). */
export function assertAuditedPage(requestedUrl: string, finalUrl: string, pageName: string): void {
  const wanted = new URL(requestedUrl).pathname;
  const got = finalUrl === '' ? '' : new URL(finalUrl).pathname;
  if (got !== wanted) {
    throw new ToolkitError(
      'LOGIN_FAILED',
      `Lighthouse page "${pageName}": asked for ${wanted} but audited ${got || 'nothing'} (the session was not accepted)`,
      {
        fix: "check the page's auth settings (email, password, api or loginPath) and that the session cookie is set on the audited origin",
      },
    );
  }
}
