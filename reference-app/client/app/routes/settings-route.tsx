import { useDashboard } from '../../features/dashboard/api/get-dashboard.ts';
import SettingsPage from '../../features/settings/components/settings-page.tsx';

/** Settings, offered the business's metrics (from the cached dashboard) to pick favorites from. */
export default function SettingsRoute() {
  const { data } = useDashboard();
  return <SettingsPage metrics={data?.metrics.map(({ metric, label }) => ({ metric, label })) ?? []} />;
}
