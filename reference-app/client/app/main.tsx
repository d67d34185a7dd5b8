import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { dashboardQueryOptions } from '../features/dashboard/api/get-dashboard.ts';
import { startRum } from '../shared/rum/rum.ts';
import { authStore } from '../shared/storage/auth-store.ts';
import { applyTheme, preferencesStore } from '../shared/storage/preferences-store.ts';
import { App, loadDashboardRoute } from './app.tsx';
import { createQueryClient } from './query-client.ts';

startRum();
applyTheme(preferencesStore.get().theme);
preferencesStore.subscribe(() => applyTheme(preferencesStore.get().theme));

const queryClient = createQueryClient();

// A remembered user landing on the dashboard: start the data request and the
// route chunk now, in parallel, instead of after React mounted (a waterfall).
if (authStore.get() && (location.pathname === '/' || location.pathname === '/dashboard')) {
  void queryClient.prefetchQuery(dashboardQueryOptions());
  void loadDashboardRoute();
}

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Suspense fallback={null}>
        <App queryClient={queryClient} />
      </Suspense>
    </StrictMode>,
  );
}

// The service worker is not needed for the first paint: load it after the page has loaded.
if (process.env.NODE_ENV === 'production') {
  addEventListener('load', () => {
    void import(/* webpackChunkName: "sw-register" */ '../shared/sw/register-sw.ts').then((m) => m.registerServiceWorker());
  });
}
