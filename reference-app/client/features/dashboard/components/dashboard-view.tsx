import { useEffect, useRef } from 'react';
import { useIsFetching } from '@tanstack/react-query';
import { preferencesStore, usePreferences } from '../../../shared/storage/preferences-store.ts';
import { ErrorPanel, RefreshIndicator, SkeletonCards } from '../../../shared/ui/status.tsx';
import { formatClock } from '../../../shared/ui/format.ts';
import { dashboardQueryKey, useDashboard } from '../api/get-dashboard.ts';
import type { DashboardMetric } from '../api/get-dashboard.ts';
import { MetricCard } from './metric-card.tsx';

/** Favorites first, each group in the server's order. */
export function orderMetrics(metrics: DashboardMetric[], favorites: string[]): DashboardMetric[] {
  const fav = new Set(favorites);
  return [...metrics.filter((m) => fav.has(m.metric)), ...metrics.filter((m) => !fav.has(m.metric))];
}

interface DashboardViewProps {
  /** Called once, after the first data has been committed to the DOM (for the renderTime measure). */
  onFirstData?: () => void;
  /** Saves a favorites change (locally at once, then to the server). */
  onFavoritesChange?: (favorites: string[]) => void;
}

export function DashboardView({ onFirstData, onFavoritesChange }: DashboardViewProps) {
  const { data, error, isPending } = useDashboard();
  const fetching = useIsFetching({ queryKey: dashboardQueryKey }) > 0;
  const preferences = usePreferences();
  const reported = useRef(false);

  useEffect(() => {
    if (data && !reported.current) {
      reported.current = true;
      onFirstData?.();
    }
  }, [data, onFirstData]);

  const toggleFavorite = (metric: string) => {
    const current = preferences.favoriteMetrics;
    const next = current.includes(metric) ? current.filter((m) => m !== metric) : [...current, metric];
    if (onFavoritesChange) onFavoritesChange(next);
    else preferencesStore.set({ ...preferences, favoriteMetrics: next });
  };

  if (isPending) return <SkeletonCards count={8} />;
  if (!data)
    return (
      <ErrorPanel title="The dashboard could not be loaded.">
        {error instanceof Error ? error.message : null}
      </ErrorPanel>
    );

  return (
    <section aria-labelledby="dashboard-title">
      <div className="section-header">
        <h1 id="dashboard-title">{data.businessName}</h1>
        <p className="muted small">
          <RefreshIndicator active={fetching} /> Updated {formatClock(Date.parse(data.generatedAt))}
        </p>
      </div>
      {data.metrics.length === 0 ? (
        <p className="panel">No metrics recorded yet.</p>
      ) : (
        <div className="card-grid">
          {orderMetrics(data.metrics, preferences.favoriteMetrics).map((m) => (
            <MetricCard
              key={m.metric}
              metric={m}
              favorite={preferences.favoriteMetrics.includes(m.metric)}
              onToggleFavorite={toggleFavorite}
            />
          ))}
        </div>
      )}
    </section>
  );
}
