/**
 * The app's links, on react-router's public hooks. react-router's own `Link`
 * and `NavLink` carry prefetching, masking, view transitions and document
 * navigation support this app does not use, and the code for them stays in the
 * start-up bundle whatever the app passes; these keep what the app needs:
 * a real `href` (open in a new tab, copy link), client-side navigation on a
 * plain left click (modifier keys, other buttons and `target` fall through to
 * the browser, as react-router decides in `useLinkClickHandler`), and for
 * `AppNavLink` the `active` class and `aria-current="page"` on the current
 * section. The bundle guard (app/router-links.test.ts) keeps react-router's
 * components out of the client.
 */
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';
import { useHref, useLinkClickHandler, useLocation, useResolvedPath } from 'react-router';

export interface AppLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  /** An app path (absolute or relative to the current route). */
  to: string;
  /** Replaces the current history entry instead of pushing one (default: only when `to` is the current location). */
  replace?: boolean;
  children?: ReactNode;
}

export function AppLink({ to, replace, target, onClick, ...rest }: AppLinkProps) {
  const href = useHref(to);
  const navigate = useLinkClickHandler<HTMLAnchorElement>(to, { replace, target });
  const handleClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(event);
    if (!event.defaultPrevented) navigate(event);
  };
  return <a {...rest} href={href} target={target} onClick={handleClick} />;
}

/**
 * Whether `locationPathname` is `toPathname` or, unless `end`, below it
 * (`/settings` is active on `/settings/profile`, not on `/settingsx`);
 * case-insensitive, a trailing slash of `to` ignored: react-router's NavLink rule.
 */
export function isActivePath(locationPathname: string, toPathname: string, end = false): boolean {
  const here = locationPathname.toLowerCase();
  const to = toPathname.toLowerCase();
  if (here === to) return true;
  if (end || !here.startsWith(to)) return false;
  const slashAt = to !== '/' && to.endsWith('/') ? to.length - 1 : to.length;
  return here.charAt(slashAt) === '/';
}

export interface AppNavLinkProps extends AppLinkProps {
  /** Active only on `to` itself, not on the paths below it. */
  end?: boolean;
}

/** A navigation link: `active` class and `aria-current="page"` while its section is shown. */
export function AppNavLink({ to, end = false, className, ...rest }: AppNavLinkProps) {
  const { pathname } = useLocation();
  const resolved = useResolvedPath(to);
  const active = isActivePath(pathname, resolved.pathname, end);
  const classes = [className, active ? 'active' : null].filter(Boolean).join(' ');
  return <AppLink {...rest} to={to} className={classes || undefined} aria-current={active ? 'page' : undefined} />;
}
