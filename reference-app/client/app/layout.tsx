import { Suspense, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useNavigate } from 'react-router';
import { useProfile } from '../features/settings/api/get-profile.ts';
import { connectionStore, useConnection } from '../shared/network/connection-store.ts';
import { useAuth } from '../shared/storage/auth-store.ts';
import { preferencesStore } from '../shared/storage/preferences-store.ts';
import { usePendingUpdate } from '../shared/sw/update-store.ts';
import { AppNavLink } from '../shared/ui/app-link.tsx';
import { formatClock } from '../shared/ui/format.ts';

/** The server's preferences win when they arrive (another device may have changed them); offline copies do not. */
function useAdoptServerPreferences(): void {
  const { data } = useProfile();
  useEffect(() => {
    if (!data || connectionStore.get().offline) return;
    if (JSON.stringify(data.preferences) !== JSON.stringify(preferencesStore.get()))
      preferencesStore.set(data.preferences);
  }, [data]);
}

function Notices() {
  const connection = useConnection();
  const applyUpdate = usePendingUpdate();
  return (
    <>
      {connection.offline ? (
        <div className="notice notice--offline" role="status" data-testid="offline-notice">
          You are offline. Showing saved data
          {connection.cachedAt !== null ? ` from ${formatClock(connection.cachedAt)}` : ''}; it will refresh when the
          connection is back.
        </div>
      ) : null}
      {applyUpdate ? (
        <div className="notice notice--update" role="status">
          A new version of Pulse is available.
          <button type="button" className="button button--small" onClick={applyUpdate}>
            Reload
          </button>
        </div>
      ) : null}
    </>
  );
}

export function Layout() {
  const auth = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  useAdoptServerPreferences();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Pulse
        </div>
        <nav aria-label="Main" className="nav">
          <AppNavLink to="/dashboard">Dashboard</AppNavLink>
          <AppNavLink to="/settings">Settings</AppNavLink>
        </nav>
        <div className="account">
          <span className="muted small">{auth?.user.displayName}</span>
          <button
            type="button"
            className="button button--ghost"
            onClick={() =>
              void import(/* webpackChunkName: "sign-out" */ '../features/auth/api/logout.ts')
                .then((m) => m.signOut(queryClient))
                .catch(() => undefined)
                .finally(() => navigate('/login'))
            }
          >
            Sign out
          </button>
        </div>
      </header>
      <Notices />
      <main id="main" className="content">
        <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
