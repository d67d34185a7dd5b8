import { useCallback } from 'react';
import { DashboardView } from '../../features/dashboard/components/dashboard-view.tsx';
import { RatesWidget } from '../../features/external/components/rates-widget.tsx';
import { useUpdateProfile } from '../../features/settings/api/update-profile.ts';
import { markDashboardPainted } from '../../shared/rum/rum.ts';
import { preferencesStore } from '../../shared/storage/preferences-store.ts';

/** The dashboard page: metric cards plus the external-rates widget, composed here so features stay independent. */
export default function DashboardRoute() {
  const update = useUpdateProfile();
  const onFavoritesChange = useCallback(
    (favoriteMetrics: string[]) => update.mutate({ preferences: { ...preferencesStore.get(), favoriteMetrics } }),
    [update],
  );
  return (
    <div className="dashboard-layout">
      <DashboardView onFirstData={markDashboardPainted} onFavoritesChange={onFavoritesChange} />
      <RatesWidget />
    </div>
  );
}
