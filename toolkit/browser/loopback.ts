import { checkLoopbackUrl, isLoopbackUrl } from '../loopback.ts';

export { isLoopbackUrl };

/**
 * Refuses browser and load traffic to anything but this machine, so a typo in
 * a URL cannot point measurements at someone else's server; the rule is the
 * toolkit's one (toolkit/loopback.ts). `allowNonLoopback` comes only from an
 * explicit config setting or flag.
 */
export function assertLoopbackUrl(url: string, options: { allowNonLoopback?: boolean; source?: string } = {}): URL {
  return checkLoopbackUrl(url, options.source ?? '--url', { allowNonLoopback: options.allowNonLoopback ?? false });
}
