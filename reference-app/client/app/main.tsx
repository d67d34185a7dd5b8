import { meQueryOptions } from '../features/auth/api/get-me.ts';
import { dashboardQueryOptions } from '../features/dashboard/api/get-dashboard.ts';
import { connectionStore } from '../shared/network/connection-store.ts';
import { startRum } from '../shared/rum/rum.ts';
import { afterLoadWhenIdle } from '../shared/scheduling/after-load.ts';
import { authStore } from '../shared/storage/auth-store.ts';
import { applyTheme, preferencesStore } from '../shared/storage/preferences-store.ts';
import { createQueryClient } from './query-client.ts';
import { loadDashboardRoute } from './routes/load-dashboard-route.ts';

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

// React starts in a task of its own: evaluating React DOM, the router and the app's
// components, then creating the root, would otherwise lengthen this first task, which
// only has to get the requests going. "eager" keeps the module in this chunk (no extra request).
const container = document.getElementById('root');
if (container) {
  setTimeout(() => {
    void import(/* webpackMode: "eager" */ './mount.tsx').then((m) => m.mount(container, queryClient));
  }, 0);
}

// The service worker is not needed for the first screen: register it (and so check for
// a new build) once the page has loaded and the main thread is idle, but soon after load
// (250 ms at most): tools that prime a warm visit wait only briefly for a registration.
if (__PRODUCTION__) {
  afterLoadWhenIdle(() => {
    void import(/* webpackChunkName: "sw-register" */ '../shared/sw/register-sw.ts').then((m) =>
      m.registerServiceWorker(),
    );
  }, 250);
}
