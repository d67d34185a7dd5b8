import { ToolkitError } from '../errors.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True when the URL's host is 127.0.0.1, localhost or [::1]. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Refuses browser and load traffic to anything but this machine, so a typo in
 * a URL cannot point measurements at someone else's server. `allowNonLoopback`
 * comes only from an explicit config setting or flag.
 */
export function assertLoopbackUrl(url: string, options: { allowNonLoopback?: boolean; source?: string } = {}): URL {
  const source = options.source ?? '--url';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ToolkitError('USAGE', `${source}: "${url}" is not a URL`, {
      fix: 'give a full URL such as http://127.0.0.1:3000/dashboard',
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ToolkitError('USAGE', `${source}: "${url}" is not an http(s) URL`, {
      fix: 'give a full URL such as http://127.0.0.1:3000/dashboard',
    });
  }
  if (!options.allowNonLoopback && !LOOPBACK_HOSTS.has(parsed.hostname.toLowerCase())) {
    throw new ToolkitError(
      'TARGET_NOT_LOOPBACK',
      `${source}: host "${parsed.hostname}" is not 127.0.0.1, localhost or [::1]`,
      {
        fix: 'measure a local instance; to measure another host on purpose, set allowNonLoopback: true in the config (or pass --allow-non-loopback)',
      },
    );
  }
  return parsed;
}
