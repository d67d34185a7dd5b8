import { lazy } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AppLink } from '../shared/ui/app-link.tsx';
import { Layout } from './layout.tsx';
import { RequireAuth } from './require-auth.tsx';
import { loadDashboardRoute } from './routes/load-dashboard-route.ts';

// Each route is its own chunk; the dashboard chunk is also requested early by main.tsx.
const DashboardRoute = lazy(loadDashboardRoute);
const SettingsRoute = lazy(() => import(/* webpackChunkName: "route-settings" */ './routes/settings-route.tsx'));
const MetricDetailPage = lazy(
  () => import(/* webpackChunkName: "route-metric" */ '../features/metrics/components/metric-detail-page.tsx'),
);
const LoginPage = lazy(
  () => import(/* webpackChunkName: "route-login" */ '../features/auth/components/login-page.tsx'),
);

function NotFound() {
  return (
    <section className="panel">
      <h1>Page not found</h1>
      <AppLink to="/dashboard">Back to the dashboard</AppLink>
    </section>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/dashboard" replace />} />
        <Route path="/dashboard" element={<DashboardRoute />} />
        <Route path="/metrics/:metric" element={<MetricDetailPage />} />
        <Route path="/settings" element={<SettingsRoute />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
