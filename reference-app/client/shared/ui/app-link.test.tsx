// @vitest-environment jsdom
import type { MouseEvent as ReactMouseEvent, ReactNode } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppLink, AppNavLink, isActivePath } from './app-link.tsx';

afterEach(cleanup);

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

function renderAt(path: string, links: ReactNode) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <nav>{links}</nav>
      <Routes>
        <Route path="*" element={<Where />} />
      </Routes>
    </MemoryRouter>,
  );
}

const where = (): string | null => screen.getByTestId('where').textContent;

describe('isActivePath', () => {
  it("follows react-router's NavLink rule: the path itself or below it, case-insensitive", () => {
    expect(isActivePath('/settings', '/settings')).toBe(true);
    expect(isActivePath('/Settings/profile', '/settings')).toBe(true);
    expect(isActivePath('/settings/profile', '/settings/')).toBe(true);
    expect(isActivePath('/settingsx', '/settings')).toBe(false);
    expect(isActivePath('/metrics/revenue', '/dashboard')).toBe(false);
    expect(isActivePath('/settings/profile', '/settings', true)).toBe(false);
    expect(isActivePath('/', '/')).toBe(true);
    expect(isActivePath('/dashboard', '/')).toBe(false);
  });
});

describe('AppLink', () => {
  it('renders a real href and navigates in the app on a plain left click', () => {
    renderAt('/dashboard', <AppLink to="/metrics/revenue?range=7d">Revenue</AppLink>);
    const link = screen.getByRole('link', { name: 'Revenue' });
    expect(link.getAttribute('href')).toBe('/metrics/revenue?range=7d');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
    fireEvent(link, click);
    expect(click.defaultPrevented).toBe(true);
    expect(where()).toBe('/metrics/revenue?range=7d');
  });

  it('leaves modified clicks, other buttons and other targets to the browser', () => {
    renderAt(
      '/dashboard',
      <>
        <AppLink to="/settings">Settings</AppLink>
        <AppLink to="/settings" target="_blank">
          New tab
        </AppLink>
      </>,
    );
    const link = screen.getByRole('link', { name: 'Settings' });
    for (const init of [{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }]) {
      const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init });
      fireEvent(link, click);
      expect(click.defaultPrevented, JSON.stringify(init)).toBe(false);
    }
    const blank = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
    fireEvent(screen.getByRole('link', { name: 'New tab' }), blank);
    expect(blank.defaultPrevented).toBe(false);
    expect(where()).toBe('/dashboard');
  });

  it("calls the caller's onClick first and does not navigate when it prevents the default", () => {
    const onClick = vi.fn((event: ReactMouseEvent) => event.preventDefault());
    renderAt(
      '/dashboard',
      <AppLink to="/settings" onClick={onClick}>
        Settings
      </AppLink>,
    );
    fireEvent.click(screen.getByRole('link', { name: 'Settings' }));
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(where()).toBe('/dashboard');
  });
});

describe('AppNavLink', () => {
  it('marks the current section with the active class and aria-current="page", and follows navigation', () => {
    renderAt(
      '/settings/profile',
      <>
        <AppNavLink to="/dashboard" className="nav-item">
          Dashboard
        </AppNavLink>
        <AppNavLink to="/settings">Settings</AppNavLink>
      </>,
    );
    const dashboard = screen.getByRole('link', { name: 'Dashboard' });
    const settings = screen.getByRole('link', { name: 'Settings' });
    expect(settings.className).toBe('active');
    expect(settings.getAttribute('aria-current')).toBe('page');
    expect(dashboard.className).toBe('nav-item');
    expect(dashboard.hasAttribute('aria-current')).toBe(false);

    fireEvent.click(dashboard);
    expect(where()).toBe('/dashboard');
    expect(dashboard.className).toBe('nav-item active');
    expect(dashboard.getAttribute('aria-current')).toBe('page');
    expect(settings.hasAttribute('class')).toBe(false);
    expect(settings.hasAttribute('aria-current')).toBe(false);
  });
});
