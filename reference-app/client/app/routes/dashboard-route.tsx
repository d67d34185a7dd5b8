import { lazy, Suspense, useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { DashboardView } from '../../features/dashboard/components/dashboard-view.tsx';
import { RatesPlaceholder } from '../../features/external/components/rates-placeholder.tsx';
import { markDashboardPainted } from '../../shared/rum/rum.ts';
import { preferencesStore } from '../../shared/storage/preferences-store.ts';

// A side panel (below the cards on a phone): its code loads beside the cards', not before them.
const RatesWidget = lazy(() =>
  import(/* webpackChunkName: "rates-widget" */ '../../features/external/components/rates-widget.tsx').then((m) => ({
    default: m.RatesWidget,
  })),
);

/** The dashboard page: metric cards plus the external-rates widget, composed here so features stay independent. */
export default function DashboardRoute() {
  const queryClient = useQueryClient();
  const onFavoritesChange = useCallback(
    (favoriteMetrics: string[]) => {
      const preferences = { ...preferencesStore.get(), favoriteMetrics };
      preferencesStore.set(preferences); // at once, before the saving code has loaded
      void import(/* webpackChunkName: "save-preferences" */ '../../features/settings/api/update-profile.ts')
        .then((m) => m.savePreferences(queryClient, preferences))
        .catch(() => undefined); // as before: the local copy stands; the next profile fetch reconciles
    },
    [queryClient],
  );
  return (
    <div className="dashboard-layout">
      <DashboardView onFirstData={markDashboardPainted} onFavoritesChange={onFavoritesChange} />
      <Suspense fallback={<RatesPlaceholder />}>
        <RatesWidget />
      </Suspense>
    </div>
  );
}
