import { lazy, Suspense, useCallback } from 'react';
import { DashboardView } from '../../features/dashboard/components/dashboard-view.tsx';
import { RatesPlaceholder } from '../../features/external/components/rates-placeholder.tsx';
import { useUpdateProfile } from '../../features/settings/api/update-profile.ts';
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
  const { mutate } = useUpdateProfile();
  const onFavoritesChange = useCallback(
    (favoriteMetrics: string[]) => mutate({ preferences: { ...preferencesStore.get(), favoriteMetrics } }),
    [mutate],
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
