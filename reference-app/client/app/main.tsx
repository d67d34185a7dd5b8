import { startTransition, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { meQueryOptions } from '../features/auth/api/get-me.ts';
import { dashboardQueryOptions } from '../features/dashboard/api/get-dashboard.ts';
import { connectionStore } from '../shared/network/connection-store.ts';
import { startRum } from '../shared/rum/rum.ts';
import { authStore } from '../shared/storage/auth-store.ts';
import { applyTheme, preferencesStore } from '../shared/storage/preferences-store.ts';
import { App, loadDashboardRoute } from './app.tsx';
import { createQueryClient } from './query-client.ts';

startRum();
// The browser knowing it is offline is enough for the notice; the next good answer clears it.
addEventListener('offline', () => connectionStore.reportUnreachable());
applyTheme(preferencesStore.get().theme);
preferencesStore.subscribe(() => applyTheme(preferencesStore.get().theme));

const queryClient = createQueryClient();

// Another account, or none (a logout in any tab): nothing cached for the previous one may stay.
let shownUserId = authStore.get()?.user.id ?? null;
authStore.subscribe(() => {
  const userId = authStore.get()?.user.id ?? null;
  if (shownUserId !== null && userId !== shownUserId) queryClient.clear();
  shownUserId = userId;
});

// Landing on the dashboard: start the data request (and, with no remembered
// user, the session check) now, in parallel with the route chunk, instead of
// after React mounted. Without a session the dashboard request just gets a 401.
if (location.pathname === '/' || location.pathname === '/dashboard') {
  if (!authStore.get()) void queryClient.prefetchQuery(meQueryOptions());
  void queryClient.prefetchQuery(dashboardQueryOptions());
  void loadDashboardRoute();
} else {
  drainFetchPreloads();
}

/**
 * index.html preloads the dashboard's API answers on every path. A preloaded
 * answer goes to the first matching fetch, however much later: on another
 * page (say /login, answered 401) it would be served after the user logged
 * in. Taking them now, unused, keeps such stale answers out of the app.
 */
function drainFetchPreloads(): void {
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="fetch"]')) {
    void fetch(link.href, { credentials: 'same-origin' }).catch(() => undefined);
  }
}

const container = document.getElementById('root');
if (container) {
  const root = createRoot(container);
  // A transition lets React render the first screen in slices that yield to
  // the browser, instead of one long task (Total Blocking Time on slow phones).
  startTransition(() =>
    root.render(
      <StrictMode>
        <Suspense fallback={null}>
          <App queryClient={queryClient} />
        </Suspense>
      </StrictMode>,
    ),
  );
}

// The service worker is not needed for the first paint: load it after the page has loaded.
if (process.env.NODE_ENV === 'production') {
  addEventListener('load', () => {
    void import(/* webpackChunkName: "sw-register" */ '../shared/sw/register-sw.ts').then((m) =>
      m.registerServiceWorker(),
    );
  });
}
