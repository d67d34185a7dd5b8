/**
 * The one loopback rule of the toolkit, shared by every place that sends load or
 * browser traffic (the --target URL, the browser, Lighthouse): a URL may name
 * only an IP literal in 127.0.0.0/8, [::1], or `localhost`. The check looks at
 * the URL's text alone, before any lookup or request, so a name such as
 * `127.0.0.1.nip.io` or `127.attacker.example` is refused and never resolved.
 * `localhost` is answered locally (127.0.0.1 / ::1), never through DNS.
 */
import type { LookupAddress } from 'node:dns';
import { isIPv4 } from 'node:net';
import { ToolkitError } from './errors.ts';

/** The rule, as error messages state it. */
export const LOOPBACK_RULE = 'only an IP literal in 127.0.0.0/8, [::1] or localhost is allowed';

/** True when a URL hostname (as `new URL().hostname` gives it) is a loopback host by the rule. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  // WHATWG URL parsing has already normalised IPv4 forms (127.1, 0x7f.0.0.1) to dotted quads.
  return isIPv4(host) && host.split('.')[0] === '127';
}

/** True when the URL parses, is http(s) and its host is loopback by the rule. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

/**
 * Parses `url` and refuses it unless it is an http(s) URL on a loopback host
 * (`where` names the flag, setting or option it came from). A malformed URL or
 * another scheme is a usage error; another host is TARGET_NOT_LOOPBACK. Both exit 2.
 */
export function checkLoopbackUrl(url: string, where: string, options: { allowNonLoopback?: boolean } = {}): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ToolkitError('USAGE', `${where}: "${url}" is not a URL`, {
      fix: 'give a full URL such as http://127.0.0.1:3000/',
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ToolkitError('USAGE', `${where}: "${url}" is not an http(s) URL (scheme ${parsed.protocol})`, {
      fix: 'give an http:// or https:// URL such as http://127.0.0.1:3000/',
    });
  }
  if (!options.allowNonLoopback && !isLoopbackHost(parsed.hostname)) {
    throw new ToolkitError(
      'TARGET_NOT_LOOPBACK',
      `${where}: host "${parsed.hostname}" is not a loopback address (${LOOPBACK_RULE}; host names other than localhost are never resolved)`,
      {
        fix: 'run the app on this machine and give its address as http://127.0.0.1:PORT, http://[::1]:PORT or http://localhost:PORT',
      },
    );
  }
  return parsed;
}

/**
 * A `lookup` for sockets and HTTP agents that answers `localhost` from the
 * machine itself and refuses every other name: connections made with it never
 * ask DNS. IP literals do not reach a lookup.
 */
export function localLookup(
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  if (hostname.toLowerCase() !== 'localhost') {
    const err: NodeJS.ErrnoException = new Error(`refusing to resolve "${hostname}": ${LOOPBACK_RULE}`);
    err.code = 'ENOTFOUND';
    callback(err, '', 0);
    return;
  }
  const family = options.family === 6 || options.family === 'IPv6' ? 6 : 4;
  const address = family === 6 ? '::1' : '127.0.0.1';
  if (options.all) callback(null, [{ address, family }]);
  else callback(null, address, family);
}
